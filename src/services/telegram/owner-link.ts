/**
 * An owner's own Telegram chat with the tenant's bot, for lead alerts: the cabinet makes a single-use
 * code (15 minutes; only its SHA-256 is stored) inside a `t.me/<bot>?start=<code>` link, the owner opens it
 * and presses Start, and the bot receives `/start <code>` from the owner's private chat and links that
 * chat to the owner's account.
 */
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { openDatabase } from "../../db/client.ts";
import { telegramBots, telegramOwnerLinks, users } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";

export const OWNER_LINK_TTL_MS = 15 * 60 * 1000;
/**
 * What a link code looks like in `/start <code>`: a prefix (so other start payloads keep their greeting)
 * and 24 random bytes, base64url; 38 characters, within Telegram's 64 of `[A-Za-z0-9_-]`.
 */
export const OWNER_LINK_CODE = /^owner_[A-Za-z0-9_-]{32}$/;

export interface OwnerLink {
  code: string;
  url: string;
  expires_at: string;
}

/** A fresh link code for the owner; 409 when the tenant has no bot connected. */
export async function createOwnerLink(db: Database, tenantId: string, userId: string): Promise<OwnerLink> {
  const [bot] = await db
    .select({ username: telegramBots.botUsername })
    .from(telegramBots)
    .where(eq(telegramBots.tenantId, tenantId));
  if (!bot) throw new AppError("conflict", "Connect the tenant's Telegram bot first.");
  const code = `owner_${randomToken(24)}`;
  const expiresAt = new Date(Date.now() + OWNER_LINK_TTL_MS);
  // Spent and expired codes of the tenant are of no use to anyone: they go as new ones come.
  await db
    .delete(telegramOwnerLinks)
    .where(
      and(
        eq(telegramOwnerLinks.tenantId, tenantId),
        or(lt(telegramOwnerLinks.expiresAt, new Date()), sql`${telegramOwnerLinks.usedAt} is not null`),
      ),
    );
  await db
    .insert(telegramOwnerLinks)
    .values({ codeHash: await sha256Hex(code), tenantId, userId, expiresAt });
  return {
    code,
    url: `https://t.me/${encodeURIComponent(bot.username)}?start=${code}`,
    expires_at: expiresAt.toISOString(),
  };
}

/**
 * Spends `code` (once, before it expires) and links the private chat `chatId` to the owner who made it.
 * False when the code is unknown, spent, expired, or its maker is no longer an owner.
 */
export async function claimOwnerLink(
  env: Bindings,
  tenantId: string,
  code: string,
  chatId: number,
): Promise<boolean> {
  if (!OWNER_LINK_CODE.test(code)) return false;
  const hash = await sha256Hex(code);
  const handle = openDatabase(env, () => tenantId);
  try {
    const [claimed] = await handle.db
      .update(telegramOwnerLinks)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(telegramOwnerLinks.tenantId, tenantId),
          eq(telegramOwnerLinks.codeHash, hash),
          isNull(telegramOwnerLinks.usedAt),
          sql`${telegramOwnerLinks.expiresAt} > now()`,
        ),
      )
      .returning({ userId: telegramOwnerLinks.userId });
    if (!claimed) return false;
    const linked = await handle.db
      .update(users)
      .set({ telegramChatId: chatId, updatedAt: new Date() })
      .where(and(eq(users.id, claimed.userId), eq(users.tenantId, tenantId), eq(users.role, "owner")))
      .returning({ id: users.id });
    await handle.finish();
    return linked.length > 0;
  } finally {
    await handle.close();
  }
}

/** Forgets the owner's linked chat (alerts stop coming by Telegram). */
export async function unlinkOwnerTelegram(db: Database, tenantId: string, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ telegramChatId: null, updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)));
}
