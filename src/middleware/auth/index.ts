import { and, eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { authConfig } from "../../config.ts";
import { users } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { type Role, verifyAccessToken } from "../../lib/jwt.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Requires a Bearer token of the tenant named by the `tenant_id` path parameter: 401 without a valid
 * token (bad signature, other algorithm, expired, revoked by logout or password change), 403 for a token
 * of another tenant or a role below `role`. The role is read from the database, so a demotion applies at
 * once.
 */
export function requireAuth(role?: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = authConfig(c.env);
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new AppError("unauthorized", "Sign in first: send an Authorization: Bearer token.");
    const claims = await verifyAccessToken(config, match[1]);

    const tenantId = c.req.param("tenant_id") ?? "";
    if (!UUID.test(tenantId)) throw new AppError("not_found", "No such tenant.");
    if (claims.tenantId !== tenantId)
      throw new AppError("forbidden", "This token belongs to another tenant.");

    const [user] = await c.var
      .db()
      .select({ role: users.role, tokensValidAfter: users.tokensValidAfter })
      .from(users)
      .where(and(eq(users.id, claims.userId), eq(users.tenantId, tenantId)))
      .limit(1);
    if (!user || claims.issuedAtMs < user.tokensValidAfter.getTime()) {
      throw new AppError("unauthorized", "This session has ended; sign in again.");
    }
    if (role === "owner" && user.role !== "owner") {
      throw new AppError("forbidden", "Only the tenant's owners can do this.");
    }
    c.set("auth", { userId: claims.userId, tenantId, role: user.role });
    await next();
  };
}
