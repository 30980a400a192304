/**
 * API keys at the edge of the app (docs/api-clients.md). A bearer credential that starts with `cip_` is
 * a key, never a JWT: it opens only the operations of src/lib/api-key-routes.ts, for its scope, and
 * every other route refuses it with 403 `api_key_not_allowed` (members, keys, profile, secrets, writes).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { bearerApiKey, isChatKeyRequest, scopeForRoutePath } from "../../lib/api-key-routes.ts";
import { UUID_RE } from "../../lib/uuid.ts";
import { authenticateApiKey } from "../../services/integrations/api-keys.ts";

function notAllowed(): AppError {
  return new AppError(
    "api_key_not_allowed",
    "API keys cannot call this route: it needs a signed-in user (members, keys, profile and secrets are never open to keys).",
  );
}

function pathTenant(c: Context<AppEnv>): string {
  const tenantId = c.req.param("tenant_id") ?? "";
  if (!UUID_RE.test(tenantId)) throw new AppError("not_found", "No such tenant.");
  return tenantId;
}

/**
 * For `requireAuth`: the caller of a bearer route sent a key. Only `read`-scope routes take one; the key
 * then acts as an owner of its tenant for that read.
 */
export async function apiKeyAuth(c: Context<AppEnv>, token: string): Promise<AuthContext> {
  if (scopeForRoutePath(c.req.method, c.req.routePath) !== "read") throw notAllowed();
  const tenantId = pathTenant(c);
  const key = await authenticateApiKey(c.var.db(), token, tenantId, "read");
  c.set("apiKey", key);
  return { userId: key.createdBy, tenantId: key.tenantId, role: "owner" };
}

/**
 * In front of the visitor routes (`…/chat`, `…/chat/*`): a key with the `chat` scope stands in for the
 * widget token (and Turnstile) of a protected embed. Without a key nothing changes.
 */
export function visitorApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerApiKey(c.req.header("authorization"));
    if (token !== undefined) {
      if (!isChatKeyRequest(c.req.method, c.req.path)) throw notAllowed();
      c.set("apiKey", await authenticateApiKey(c.var.db(), token, pathTenant(c), "chat"));
    }
    await next();
  };
}
