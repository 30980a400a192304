import { and, eq, gt, isNull } from "drizzle-orm";
import { authConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { emailTokens, tenants, users } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { type IssuedToken, issueAccessToken } from "../../lib/jwt.ts";
import { assertPasswordAcceptable, hashPassword, verifyPassword } from "../../lib/passwords.ts";
import { authRules, enforceRateLimits } from "../platform/rate-limit.ts";
import { reservePasswordCheck } from "./login-guard.ts";

export interface Profile {
  id: string;
  tenant_id: string;
  email: string;
  name: string | null;
  locale: "ru" | "en" | null;
  role: "owner" | "member";
  confirmed_at: string | null;
  created_at: string;
  /** Lead alerts (owners): e-mail, and Telegram once linked. */
  notify_leads: boolean;
  /** Whether the user's own Telegram chat is linked to the tenant's bot. */
  telegram_linked: boolean;
}

export interface ProfilePatch {
  name?: string | null | undefined;
  locale?: "ru" | "en" | undefined;
  notify_leads?: boolean | undefined;
  current_password?: string | undefined;
  new_password?: string | undefined;
}

type UserRow = typeof users.$inferSelect;

function toProfile(u: UserRow): Profile {
  return {
    id: u.id,
    tenant_id: u.tenantId,
    email: u.email,
    name: u.name,
    locale: u.locale === "en" || u.locale === "ru" ? u.locale : null,
    role: u.role,
    confirmed_at: u.confirmedAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
    notify_leads: u.notifyLeads,
    telegram_linked: u.telegramChatId !== null,
  };
}

async function requireUser(db: Database, tenantId: string, userId: string): Promise<UserRow> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
    .limit(1);
  if (!user) throw new AppError("not_found", "No such user.");
  return user;
}

export async function getProfile(db: Database, tenantId: string, userId: string): Promise<Profile> {
  return toProfile(await requireUser(db, tenantId, userId));
}

/**
 * Updates name and locale, and the password when the current one is given. A password change ends the
 * other sessions and the open reset links (they now answer like expired ones); the caller gets a fresh
 * token so it stays signed in. Checking the current password follows the login rule (login-guard.ts):
 * wrong ones count per address and per e-mail, so a stolen token cannot guess faster than the login form,
 * and a right one from an address without failures is never locked out.
 */
export async function updateProfile(
  db: Database,
  env: Bindings,
  tenantId: string,
  userId: string,
  patch: ProfilePatch,
  ip = "unknown",
): Promise<Profile & { access_token?: IssuedToken }> {
  const user = await requireUser(db, tenantId, userId);
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.locale !== undefined) changes.locale = patch.locale;
  if (patch.notify_leads !== undefined) changes.notifyLeads = patch.notify_leads;
  let token: IssuedToken | undefined;
  if (patch.new_password !== undefined) {
    // A blocked tenant's users cannot sign in (login.ts): a live token must not mint a fresh one either.
    await refuseIfBlocked(db, tenantId);
    await checkCurrentPassword(env, user, patch.current_password, ip);
    assertPasswordAcceptable(patch.new_password, "new_password");
    changes.passwordHash = await hashPassword(patch.new_password);
    const now = Date.now();
    changes.tokensValidAfter = new Date(now);
    token = await issueAccessToken(authConfig(env), { userId, tenantId, role: user.role }, now);
  }
  const [updated] = await db
    .update(users)
    .set(changes)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
    .returning();
  if (!updated) throw new AppError("not_found", "No such user.");
  if (token) await expireResetLinks(db, tenantId, userId, new Date());
  return token ? { ...toProfile(updated), access_token: token } : toProfile(updated);
}

/** 403 `tenant_blocked` when the platform operator blocked the tenant. */
async function refuseIfBlocked(db: Database, tenantId: string): Promise<void> {
  const [own] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (own?.settings.blocked === true) {
    throw new AppError("tenant_blocked", "This account is blocked by the platform. Contact support.");
  }
}

/** 422 for a wrong or missing current password; a wrong one counts as a failed login. */
async function checkCurrentPassword(
  env: Bindings,
  user: UserRow,
  current: string | undefined,
  ip: string,
): Promise<void> {
  const problem = "The current password is wrong.";
  const wrong = new AppError("validation_failed", problem, {
    issues: [{ path: "current_password", message: problem }],
  });
  // No password given is a malformed request, not a guess: nothing to count.
  if (!current) throw wrong;
  await enforceRateLimits(env, authRules("login", ip, user.tenantId));
  const check = await reservePasswordCheck(env, user.tenantId, user.email, ip);
  let right: boolean;
  try {
    right = await verifyPassword(current, user.passwordHash);
  } catch (err) {
    await check.abandoned();
    throw err;
  }
  if (!right) throw wrong;
  await check.succeeded();
}

/** Makes the user's unused reset links expire now: whoever holds one gets 410 `token_expired`. */
async function expireResetLinks(db: Database, tenantId: string, userId: string, now: Date): Promise<void> {
  await db
    .update(emailTokens)
    .set({ expiresAt: now })
    .where(
      and(
        eq(emailTokens.tenantId, tenantId),
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, "reset"),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    );
}
