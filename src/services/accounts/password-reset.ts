import { and, eq, isNull } from "drizzle-orm";
import { emailTokens, users } from "../../db/schema.ts";
import { assertPasswordAcceptable, hashPassword } from "../../lib/passwords.ts";
import { authRules, enforceRateLimits } from "../platform/rate-limit.ts";
import { mailNewTokenAfterResponse } from "./account-mail.ts";
import { type AccountDeps, normalizeEmail } from "./context.ts";
import { consumeEmailToken } from "./email-tokens.ts";
import { findUser, PENDING_ANSWER } from "./registration.ts";
import { requireTenantById } from "./tenant-lookup.ts";

/** Mails a reset link when the address has an account; the same answer, in the same time, either way. */
export async function requestPasswordReset(
  deps: AccountDeps,
  tenantId: string,
  rawEmail: string,
): Promise<typeof PENDING_ANSWER> {
  const tenant = await requireTenantById(deps.db, tenantId);
  const email = normalizeEmail(rawEmail);
  await enforceRateLimits(deps.env, authRules("reset", deps.ip, tenant.id, email));
  const user = await findUser(deps, tenant.id, email);
  // The token is written after the answer, so a known address costs the request no more than an unknown.
  if (user) mailNewTokenAfterResponse(deps, "reset", { tenant, userId: user.id, email });
  return PENDING_ANSWER;
}

/**
 * Sets a new password with a reset token: the token is spent, the other outstanding reset links die,
 * and every session issued before now ends.
 */
export async function completePasswordReset(
  deps: AccountDeps,
  tenantId: string,
  input: { token: string; password: string },
): Promise<{ status: "password_changed" }> {
  const tenant = await requireTenantById(deps.db, tenantId);
  assertPasswordAcceptable(input.password);
  const { userId } = await consumeEmailToken(deps.db, {
    token: input.token,
    tenantId: tenant.id,
    purpose: "reset",
  });
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  await deps.db
    .update(users)
    .set({ passwordHash, tokensValidAfter: new Date(now.getTime() + 1), updatedAt: now })
    .where(and(eq(users.id, userId), eq(users.tenantId, tenant.id)));
  await deps.db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tenantId, tenant.id),
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, "reset"),
        isNull(emailTokens.usedAt),
      ),
    );
  return { status: "password_changed" };
}
