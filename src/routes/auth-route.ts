/**
 * Routes that need a signed-in caller declare their audience once: `ownerRoute({...})` for the tenant's
 * owners, `memberRoute({...})` for any member. Each is `createRoute` with the `requireAuth` middleware and
 * the bearer security the document shows (the router then lists 401, 403 and 404 for it, routes/router.ts),
 * and keeps the config's exact type, so handlers still get `c.req.valid` and the typed responses.
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import type { Role } from "../lib/jwt.ts";
import { requireAuth } from "../middleware/auth/index.ts";

/** What a route gives: everything but the middleware and security, which its audience decides. */
type AudienceFree = Omit<RouteConfig, "path" | "middleware" | "security">;

/**
 * What the helpers add, typed so the handler's env comes from the auth middleware. A type alias, not an
 * interface: RouteConfig has an `x-…` index signature, which only an alias's implicit one satisfies.
 */
type Audience = {
  middleware: [MiddlewareHandler<AppEnv>];
  security: Array<{ bearer: string[] }>;
};

function withAudience<P extends string, R extends AudienceFree & { path: P }>(
  role: Role | undefined,
  route: R,
) {
  const audience: Audience = { middleware: [requireAuth(role)], security: [{ bearer: [] }] };
  return createRoute<P, R & Audience>({ ...route, ...audience });
}

/** A route for the tenant's owners (403 for other members). */
export function ownerRoute<P extends string, R extends AudienceFree & { path: P }>(route: R) {
  return withAudience<P, R>("owner", route);
}

/** A route for any member of the tenant. */
export function memberRoute<P extends string, R extends AudienceFree & { path: P }>(route: R) {
  return withAudience<P, R>(undefined, route);
}
