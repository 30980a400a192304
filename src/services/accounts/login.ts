import { and, eq } from "drizzle-orm";
import { authConfig } from "../../config.ts";
import { tenants, users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { type IssuedToken, issueAccessToken } from "../../lib/jwt.ts";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "../../lib/passwords.ts";
import { authRules, enforceRateLimits } from "../platform/rate-limit.ts";
import { type AccountDeps, normalizeEmail } from "./context.ts";
import { reservePasswordCheck } from "./login-guard.ts";
import { requireTenantById } from "./tenant-lookup.ts";

const BAD_CREDENTIALS = "The e-mail or the password is wrong.";

/**
 * Signs a user in. A wrong password and an unknown address give the same 401 after the same amount of
 * hashing; an unconfirmed account is named (403) only once the password has proved who is asking.
 * Wrong passwords count per address and per e-mail (login-guard.ts); right ones never lock anyone out.
 */
export async function login(
  deps: AccountDeps,
  tenantId: string,
  input: { email: string; password: string },
): Promise<IssuedToken> {
  const config = authConfig(deps.env);
  const tenant = await requireTenantById(deps.db, tenantId);
  const email = normalizeEmail(input.email);
  await enforceRateLimits(deps.env, authRules("login", deps.ip, tenant.id));
  // Unknown addresses count failures like known ones, so a 429 says nothing about the address.
  const check = await reservePasswordCheck(deps.env, tenant.id, email, deps.ip);
  let user: typeof users.$inferSelect | undefined;
  let ok: boolean;
  try {
    [user] = await deps.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.email, email)))
      .limit(1);
    ok = user
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyAgainstDummy(input.password);
  } catch (err) {
    await check.abandoned();
    throw err;
  }
  if (!user || !ok) throw new AppError("invalid_credentials", BAD_CREDENTIALS);
  // The password proved who is asking (even for an unconfirmed account): this address starts clean.
  await check.succeeded();
  if (!user.confirmedAt) {
    throw new AppError("email_not_confirmed", "Confirm your e-mail first: follow the link we sent you.");
  }
  // The platform operator blocked the tenant: the password was right, but the cabinet stays closed.
  const [own] = await deps.db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenant.id))
    .limit(1);
  if (own?.settings.blocked === true) {
    throw new AppError("tenant_blocked", "This account is blocked by the platform. Contact support.");
  }
  if (needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(input.password);
    await deps.db
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, user.id), eq(users.tenantId, tenant.id)));
  }
  return issueAccessToken(config, { userId: user.id, tenantId: tenant.id, role: user.role });
}

/** Ends every session of the user: tokens issued up to now stop working. */
export async function revokeSessions(
  deps: Pick<AccountDeps, "db">,
  tenantId: string,
  userId: string,
): Promise<void> {
  await deps.db
    .update(users)
    .set({ tokensValidAfter: new Date(Date.now() + 1), updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)));
}
