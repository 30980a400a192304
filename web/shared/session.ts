/**
 * The signed-in user's access token, per tenant, in localStorage (so cabinet deep links open in new
 * tabs too) with its expiry. The token is a bearer JWT valid for JWT_EXPIRE_MINUTES; logout revokes it.
 */
import { readJson, removeKey, writeJson } from "./store.ts";

interface StoredSession {
  token: string;
  expiresAt: number;
}

const key = (tenantId: string) => `cip:${tenantId}:session`;

/** Keeps a fresh token (from login or a password change). */
export function saveSession(tenantId: string, token: string, expiresInSeconds: number): void {
  writeJson(key(tenantId), { token, expiresAt: Date.now() + expiresInSeconds * 1000 });
}

/** The token while it is valid, else null. */
export function currentToken(tenantId: string): string | null {
  const s = readJson<StoredSession>(key(tenantId));
  if (!s || typeof s.token !== "string" || typeof s.expiresAt !== "number") return null;
  if (s.expiresAt <= Date.now() + 5000) {
    removeKey(key(tenantId));
    return null;
  }
  return s.token;
}

/** Forgets the token. */
export function clearSession(tenantId: string): void {
  removeKey(key(tenantId));
}
