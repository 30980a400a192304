import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { scopeForOperation } from "../lib/api-key-routes.ts";
import { zodIssues } from "../lib/validation.ts";
import { errorResponses } from "../schemas/common.ts";

/**
 * A sub-app whose zod-validated routes also feed the OpenAPI document. A failed validation throws, so
 * the single `onError` answers it (422 with the field issues). Every route's document entry also lists
 * the errors the shared layers can answer for it (see `sharedErrors`), so the contract test can hold
 * each route to "every status it answers is documented".
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("validation_failed", "The request is not valid.", {
          issues: zodIssues(result.error),
        });
      }
    },
  });
  const register = router.openapi;
  router.openapi = ((route: RouteConfig, ...rest: unknown[]) =>
    (register as (route: RouteConfig, ...rest: unknown[]) => OpenAPIHono<AppEnv>)(
      {
        ...route,
        operationId: route.operationId ?? operationIdFor(route.method, route.path),
        security: documentedSecurity(route),
        responses: { ...errorResponses(...sharedErrors(route)), ...route.responses },
      },
      ...rest,
    )) as typeof register;
  return router;
}

/**
 * A stable operationId for generated clients when a route names none: the method, then the path's
 * segments in camel case, a parameter as `By<Name>`; the `tenants/{tenant_id}` every tenant route starts
 * with is left out. `GET /tenants/{tenant_id}/me/dialogs/{dialog_id}` -> `getMeDialogsByDialogId`.
 */
export function operationIdFor(method: string, path: string): string {
  const pascal = (text: string) =>
    text
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0]?.toUpperCase() + word.slice(1))
      .join("");
  const parts = path
    .replace(/^\/tenants\/\{tenant_id\}(?=\/|$)/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => (/^\{.+\}$/.test(segment) ? `By${pascal(segment.slice(1, -1))}` : pascal(segment)));
  return method.toLowerCase() + parts.join("");
}

/**
 * The route's security as documented: what it declares, plus the API-key scheme on the operations
 * src/lib/api-key-routes.ts opens to keys (optional beside no credential on the visitor routes).
 */
function documentedSecurity(route: RouteConfig): RouteConfig["security"] {
  const scope = scopeForOperation(route.method, route.path);
  if (scope === undefined) return route.security;
  const apiKey = { apiKey: [scope] };
  const declared = route.security ?? [];
  return declared.length > 0 ? [...declared, apiKey] : [{}, apiKey];
}

/**
 * Errors a route can get from the layers every route shares, whatever its handler does:
 * - a zod JSON body: 400 (malformed JSON), 413 (over the JSON cap, src/app.ts), 415 (another content
 *   type: @hono/zod-openapi's media-type gate), 422 (validation);
 * - zod path, query or header parameters: 422;
 * - bearer security (`requireAuth`): 401 (no or bad token), 403 (another tenant's token, or a role
 *   below the route's), 404 (a tenant id that is not one).
 */
export function sharedErrors(route: RouteConfig): number[] {
  const statuses: number[] = [];
  const request = route.request;
  if (request?.body?.content["application/json"]) statuses.push(400, 413, 415, 422);
  if (request?.params || request?.query || request?.headers) statuses.push(422);
  if (route.security?.some((s) => "bearer" in s)) statuses.push(401, 403, 404);
  return [...new Set(statuses)];
}
