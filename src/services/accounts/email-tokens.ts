/**
 * Single-use e-mail tokens (confirm, reset): random 256-bit values that exist only in the e-mail; the
 * database keeps their SHA-256. Each is bound to one purpose, one user, one tenant and one address.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client.ts";
import { emailTokens, users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";

export type TokenPurpose = "confirm" | "reset";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  confirm: 24 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

/** Stores a new token's hash and returns the token itself (for the link). */
export async function createEmailToken(
  db: Queryable,
  opts: { tenantId: string; userId: string; email: string; purpose: TokenPurpose },
  now = Date.now(),
): Promise<string> {
  const token = randomToken(32);
  await db.insert(emailTokens).values({
    tenantId: opts.tenantId,
    userId: opts.userId,
    email: opts.email,
    purpose: opts.purpose,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(now + TOKEN_TTL_MS[opts.purpose]),
  });
  return token;
}

/**
 * Consumes a token of `purpose` for `tenantId` exactly once and returns its user. Unknown, foreign or
 * wrong-purpose tokens -> 400 `invalid_token`; used -> 410 `token_used`; expired -> 410 `token_expired`;
 * a token for an address the user no longer has -> 400.
 */
export async function consumeEmailToken(
  db: Database,
  opts: { token: string; tenantId: string; purpose: TokenPurpose },
  now = Date.now(),
): Promise<{ userId: string; email: string }> {
  const hash = await sha256Hex(opts.token);
  const [row] = await db
    .select({ token: emailTokens, userEmail: users.email })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(and(eq(emailTokens.tokenHash, hash), eq(emailTokens.tenantId, opts.tenantId)))
    .limit(1);
  if (!row || row.token.purpose !== opts.purpose || row.userEmail !== row.token.email) {
    throw new AppError("invalid_token", "This link is not valid.");
  }
  if (row.token.usedAt) throw new AppError("token_used", "This link has already been used.");
  if (row.token.expiresAt.getTime() <= now)
    throw new AppError("token_expired", "This link has expired; ask for a new one.");
  const claimed = await db
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(emailTokens.id, row.token.id), isNull(emailTokens.usedAt)))
    .returning({ id: emailTokens.id });
  if (claimed.length === 0) throw new AppError("token_used", "This link has already been used.");
  return { userId: row.token.userId, email: row.token.email };
}
