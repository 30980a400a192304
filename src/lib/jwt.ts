/**
 * Access tokens: HS256 JWTs signed with JWT_SECRET. `aud` is the tenant id, `sub` the user id; `iat_ms`
 * (issue time in milliseconds) lets a logout or password change revoke every token issued before it,
 * even one issued earlier in the same second.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { AppError } from "../errors.ts";

export interface AuthConfig {
  jwtKey: Uint8Array;
  expireMinutes: number;
}

export const JWT_ISSUER = "cip";
const ALGORITHM = "HS256";

export type Role = "owner" | "member";

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  issuedAtMs: number;
  /** Set on an operator's read-only support token: the `support_tickets` row it stands for. */
  ticketId?: string;
}

export interface IssuedToken {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
}

export async function issueAccessToken(
  config: AuthConfig,
  claims: { userId: string; tenantId: string; role: Role },
  now = Date.now(),
): Promise<IssuedToken> {
  const expiresIn = Math.round(config.expireMinutes * 60);
  const token = await new SignJWT({ role: claims.role, iat_ms: now })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setIssuer(JWT_ISSUER)
    .setAudience(claims.tenantId)
    .setSubject(claims.userId)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + expiresIn)
    .sign(config.jwtKey);
  return { access_token: token, token_type: "bearer", expires_in: expiresIn };
}

/**
 * A read-only support token (docs/operator.md): `aud` the tenant, `sub` the operator, `ticket` the
 * `support_tickets` row the auth check looks up; it ends at `expiresAtMs` whatever JWT_EXPIRE_MINUTES says.
 */
export async function issueTicketToken(
  config: AuthConfig,
  ticket: { ticketId: string; tenantId: string; operatorId: string; expiresAtMs: number },
  now = Date.now(),
): Promise<IssuedToken> {
  const expiresIn = Math.max(0, Math.round((ticket.expiresAtMs - now) / 1000));
  const token = await new SignJWT({ role: "owner", iat_ms: now, ticket: ticket.ticketId })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setIssuer(JWT_ISSUER)
    .setAudience(ticket.tenantId)
    .setSubject(ticket.operatorId)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(ticket.expiresAtMs / 1000))
    .sign(config.jwtKey);
  return { access_token: token, token_type: "bearer", expires_in: expiresIn };
}

/**
 * Verifies signature (HS256 only: `alg: none` and every other algorithm are refused), issuer and expiry
 * (required).
 * The audience is returned, not checked: the caller compares it with the tenant in the path so a token
 * of another tenant is told apart (403) from a bad token (401).
 */
export async function verifyAccessToken(config: AuthConfig, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, config.jwtKey, {
      algorithms: [ALGORITHM],
      issuer: JWT_ISSUER,
      // A token without an expiry would never end; only revocation could stop it.
      requiredClaims: ["exp", "sub", "aud"],
    });
    const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
    const role = payload.role;
    const issuedAtMs = typeof payload.iat_ms === "number" ? payload.iat_ms : (payload.iat ?? 0) * 1000;
    if (!payload.sub || !aud || (role !== "owner" && role !== "member")) {
      throw new AppError("unauthorized", "The access token is incomplete.");
    }
    const ticket = typeof payload.ticket === "string" ? { ticketId: payload.ticket } : {};
    return { userId: payload.sub, tenantId: aud, role, issuedAtMs, ...ticket };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof errors.JWTExpired) throw new AppError("unauthorized", "The access token has expired.");
    throw new AppError("unauthorized", "The access token is not valid.");
  }
}
