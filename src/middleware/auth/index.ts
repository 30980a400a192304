import { and, eq, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { authConfig } from "../../config.ts";
import { tenants, users } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { API_KEY_PREFIX } from "../../lib/api-key-routes.ts";
import { type Role, verifyAccessToken } from "../../lib/jwt.ts";
import { UUID_RE } from "../../lib/uuid.ts";
import { apiKeyAuth } from "./api-key.ts";
import { supportTicketAuth } from "./support-ticket.ts";

/**
 * Requires a Bearer token of the tenant named by the `tenant_id` path parameter: 401 without a valid
 * token (bad signature, other algorithm, expired, revoked by logout or password change), 403 for a token
 * of another tenant or a role below `role`. The role is read from the database, so a demotion applies at
 * once. A user of a tenant the platform operator blocked gets 403 `tenant_blocked` (docs/operator.md), so a
 * token minted before the block stops working at once and works again after the unblock; an operator's
 * read-only support token still reads. An API key (`cip_…`) is accepted only where
 * src/lib/api-key-routes.ts opens the route to keys.
 */
export function requireAuth(role?: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = authConfig(c.env);
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new AppError("unauthorized", "Sign in first: send an Authorization: Bearer token.");
    if (match[1].startsWith(API_KEY_PREFIX)) {
      // An API key, never a JWT: only the allow-listed read routes take one (api-key.ts).
      c.set("auth", await apiKeyAuth(c, match[1]));
      await next();
      return;
    }
    const claims = await verifyAccessToken(config, match[1]);

    const tenantId = c.req.param("tenant_id") ?? "";
    if (!UUID_RE.test(tenantId)) throw new AppError("not_found", "No such tenant.");
    if (claims.tenantId !== tenantId)
      throw new AppError("forbidden", "This token belongs to another tenant.");
    if (claims.ticketId !== undefined) {
      // An operator's read-only support token: no user row of this tenant stands behind it.
      c.set("auth", await supportTicketAuth(c, { ...claims, ticketId: claims.ticketId }, tenantId));
      await next();
      return;
    }

    // The block flag rides on the user lookup every request makes anyway: no extra round trip.
    const [user] = await c.var
      .db()
      .select({
        role: users.role,
        tokensValidAfter: users.tokensValidAfter,
        blocked: sql<boolean>`coalesce(${tenants.settings} -> 'blocked' = 'true'::jsonb, false)`,
      })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(and(eq(users.id, claims.userId), eq(users.tenantId, tenantId)))
      .limit(1);
    if (!user || claims.issuedAtMs < user.tokensValidAfter.getTime()) {
      throw new AppError("unauthorized", "This session has ended; sign in again.");
    }
    if (user.blocked === true) {
      throw new AppError("tenant_blocked", "This account is blocked by the platform. Contact support.");
    }
    if (role === "owner" && user.role !== "owner") {
      throw new AppError("forbidden", "Only the tenant's owners can do this.");
    }
    c.set("auth", { userId: claims.userId, tenantId, role: user.role });
    await next();
  };
}
