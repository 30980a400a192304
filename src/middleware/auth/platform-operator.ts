import type { MiddlewareHandler } from "hono";
import { authConfig } from "../../config.ts";
import type { AppEnv } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { verifyAccessToken } from "../../lib/jwt.ts";
import { platformConfig, platformTenantId, platformUser } from "../../services/platform/operators.ts";

const NOT_OPERATOR = "Only platform operators can do this.";

/**
 * Requires a platform operator (docs/operator.md): a user's access token of the platform tenant whose
 * e-mail is in PLATFORM_ADMINS. 401 without a valid token; 403 for anyone else (another tenant's token,
 * a user of the platform tenant not listed, a support token, or no operators configured). The request's
 * database scope is the platform tenant's; crossing into other tenants is the services' explicit job.
 */
export function requireOperator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new AppError("unauthorized", "Sign in first: send an Authorization: Bearer token.");
    const claims = await verifyAccessToken(authConfig(c.env), match[1]);
    const config = platformConfig(c.env);
    if (!config || claims.ticketId !== undefined) throw new AppError("forbidden", NOT_OPERATOR);
    const platformId = await platformTenantId(c.var.db(), config);
    if (!platformId || claims.tenantId !== platformId) throw new AppError("forbidden", NOT_OPERATOR);
    // From here the request's queries run in the platform tenant's scope (database middleware).
    c.set("auth", { userId: claims.userId, tenantId: platformId, role: claims.role });
    const user = await platformUser(c.var.db(), platformId, claims.userId);
    if (!user || claims.issuedAtMs < user.tokensValidAfter.getTime()) {
      throw new AppError("unauthorized", "This session has ended; sign in again.");
    }
    if (!config.admins.has(user.email.toLowerCase())) throw new AppError("forbidden", NOT_OPERATOR);
    c.set("auth", {
      userId: claims.userId,
      tenantId: platformId,
      role: user.role,
      operatorEmail: user.email,
    });
    await next();
  };
}
