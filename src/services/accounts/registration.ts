/**
 * Member registration, e-mail confirmation and re-sending it. Registration answers the same whether or
 * not the address already has an account; the existing account gets a "you already have an account" mail.
 * Registering an address that is not confirmed yet takes over the pending account: the new password
 * (and name) replace the old ones and the old confirmation links stop working, so whoever registered an
 * address first cannot keep a password on the account its real owner confirms (pre-hijack).
 */
import { and, eq, isNull } from "drizzle-orm";
import { emailTokens, users } from "../../db/schema.ts";
import { enterTenant } from "../../db/tenant-scope.ts";
import { assertPasswordAcceptable, hashPassword } from "../../lib/passwords.ts";
import { authRules, enforceRateLimits } from "../platform/rate-limit.ts";
import { mailNewToken, mailNewTokenAfterResponse, sendAccountMail } from "./account-mail.ts";
import { type AccountDeps, normalizeEmail } from "./context.ts";
import { consumeEmailToken } from "./email-tokens.ts";
import { isUniqueViolation } from "./sign-up.ts";
import { requireTenantById, requireTenantBySlug } from "./tenant-lookup.ts";

/** The one answer registration, resend and reset requests give, whatever the address. */
export const PENDING_ANSWER = {
  status: "pending_confirmation",
  message: "If the address can be used, a message with a link is on its way. Check your inbox.",
} as const;

export async function registerMember(
  deps: AccountDeps,
  tenantId: string,
  input: { email: string; password: string; name?: string | undefined },
): Promise<typeof PENDING_ANSWER> {
  const tenant = await requireTenantById(deps.db, tenantId);
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password);
  await enforceRateLimits(deps.env, authRules("register", deps.ip, tenant.id, email));
  // Hash before looking the address up, so both paths spend the same time.
  const passwordHash = await hashPassword(input.password);
  const existing = await findUser(deps, tenant.id, email);
  if (existing) {
    const retaken =
      !existing.confirmedAt &&
      (await retakeUnconfirmed(deps, tenant.id, existing.id, { passwordHash, name: input.name ?? null }));
    // Retaken: like a new registration, the token is written in the request's transaction, mailed after.
    if (retaken) await mailNewToken(deps, "confirm", { tenant, userId: existing.id, email: existing.email });
    else mailExistingAccount(deps, tenant, existing);
    return PENDING_ANSWER;
  }
  try {
    const [user] = await deps.db
      .insert(users)
      .values({
        tenantId: tenant.id,
        email,
        passwordHash,
        name: input.name ?? null,
        role: "member",
        tokensValidAfter: new Date(),
      })
      .returning({ id: users.id });
    if (!user) throw new Error("user insert returned nothing");
    await mailNewToken(deps, "confirm", { tenant, userId: user.id, email });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A parallel registration of the same address won the insert: answer as for an existing account.
  }
  return PENDING_ANSWER;
}

/** Sends a fresh confirmation link to an unconfirmed account; the same answer for any address. */
export async function resendConfirmation(
  deps: AccountDeps,
  tenantId: string,
  rawEmail: string,
): Promise<typeof PENDING_ANSWER> {
  const tenant = await requireTenantById(deps.db, tenantId);
  const email = normalizeEmail(rawEmail);
  await enforceRateLimits(deps.env, authRules("resend", deps.ip, tenant.id, email));
  const user = await findUser(deps, tenant.id, email);
  // The token is written after the answer, so a known address costs the request no more than an unknown.
  if (user && !user.confirmedAt)
    mailNewTokenAfterResponse(deps, "confirm", { tenant, userId: user.id, email });
  return PENDING_ANSWER;
}

/** Confirms the address a confirmation token was sent to. */
export async function confirmEmail(
  deps: AccountDeps,
  slug: string,
  token: string,
): Promise<{ status: "confirmed"; tenant_id: string; email: string }> {
  const tenant = await requireTenantBySlug(deps.db, slug);
  // The link names its tenant by slug: scope the rest of the request to it (row-level security).
  await enterTenant(deps.db, tenant.id);
  const { userId, email } = await consumeEmailToken(deps.db, {
    token,
    tenantId: tenant.id,
    purpose: "confirm",
  });
  await deps.db
    .update(users)
    .set({ confirmedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.tenantId, tenant.id)));
  return { status: "confirmed", tenant_id: tenant.id, email };
}

/**
 * Gives a still unconfirmed account the password and name of a new registration of its address, and
 * drops its unused confirmation links, in one transaction: a link mailed before confirms nothing any
 * more, only the one mailed for this registration does. The links go first, so a confirmation racing
 * with this either claimed its link before (then the account is confirmed and stays as it is: false) or
 * finds the link gone. False when the account got confirmed meanwhile.
 */
async function retakeUnconfirmed(
  deps: Pick<AccountDeps, "db">,
  tenantId: string,
  userId: string,
  values: { passwordHash: string; name: string | null },
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    await tx
      .delete(emailTokens)
      .where(
        and(
          eq(emailTokens.tenantId, tenantId),
          eq(emailTokens.userId, userId),
          eq(emailTokens.purpose, "confirm"),
          isNull(emailTokens.usedAt),
        ),
      );
    const now = new Date();
    const updated = await tx
      .update(users)
      .set({ ...values, tokensValidAfter: now, updatedAt: now })
      .where(and(eq(users.id, userId), eq(users.tenantId, tenantId), isNull(users.confirmedAt)))
      .returning({ id: users.id });
    return updated.length > 0;
  });
}

/** The account with this address in the tenant, if any. */
export async function findUser(deps: Pick<AccountDeps, "db">, tenantId: string, email: string) {
  const [user] = await deps.db
    .select({ id: users.id, email: users.email, confirmedAt: users.confirmedAt })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.email, email)))
    .limit(1);
  return user;
}

/** A confirmed account's address registered again: a "you already have an account" mail. */
function mailExistingAccount(
  deps: AccountDeps,
  tenant: { id: string; slug: string; name: string; locale: string },
  user: { id: string; email: string },
): void {
  sendAccountMail(deps, "already_registered", { to: user.email, tenant, userId: user.id });
}
