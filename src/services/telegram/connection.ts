/**
 * The owner's bot settings: connect (check the token with getMe, register the webhook with a fresh secret,
 * store the token encrypted and only the secret's hash), status (getWebhookInfo) and disconnect.
 * The plain token never leaves this module except inside Bot API request URLs.
 */
import { eq, max } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { telegramBots, telegramUpdates, users } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import { BotUserSchema, type TelegramStatus, WebhookInfoSchema } from "../../schemas/telegram.ts";
import { type BotApi, BotApiError, createBotApi, NO_RETRY } from "./bot-api.ts";
import { ALLOWED_UPDATES, telegramApiUrl, webhookUrl } from "./settings.ts";
import { decryptBotToken, encryptBotToken } from "./token-crypto.ts";

const NOT_CONNECTED: TelegramStatus = {
  connected: false,
  bot_username: null,
  webhook: null,
  last_update_at: null,
};

/** The Bot API client of one bot. */
export function apiFor(env: Bindings, token: string): BotApi {
  return createBotApi({ baseUrl: telegramApiUrl(env), token });
}

/** A Telegram failure as the 502 the cabinet shows, logged without the token. */
export function upstream(step: string, err: unknown): AppError {
  const detail = err instanceof BotApiError ? { status: err.status, description: err.description } : {};
  log("warn", "telegram call failed", { step, ...detail });
  return new AppError("upstream_error", "Telegram did not answer as expected; try again later.");
}

/** Checks the token, registers the webhook and stores the bot; answers the new status. */
export async function connectBot(
  db: Database,
  env: Bindings,
  tenantId: string,
  token: string,
  publicBaseUrl: string,
): Promise<TelegramStatus> {
  const api = apiFor(env, token);
  let username: string;
  try {
    username = BotUserSchema.parse(await api.call("getMe")).username;
  } catch (err) {
    if (err instanceof BotApiError && err.unauthorized) {
      throw new AppError("validation_failed", "The bot token was rejected by Telegram.", {
        issues: [{ path: "bot_token", message: "token rejected by Telegram" }],
      });
    }
    throw upstream("getMe", err);
  }

  const secret = await registerWebhook(api, tenantId, publicBaseUrl);
  const encrypted = await encryptBotToken(env, tenantId, token);
  const secretHash = await sha256Hex(secret);
  const [previous] = await db
    .select({ username: telegramBots.botUsername, encrypted: telegramBots.botTokenEncrypted })
    .from(telegramBots)
    .where(eq(telegramBots.tenantId, tenantId));
  const otherBot = previous !== undefined && previous.username !== username;
  await db.transaction(async (tx) => {
    const row = { botTokenEncrypted: encrypted, botUsername: username, webhookSecretHash: secretHash };
    await tx
      .insert(telegramBots)
      .values({ tenantId, ...row })
      .onConflictDoUpdate({ target: telegramBots.tenantId, set: { ...row, updatedAt: new Date() } });
    // Update ids count per bot: another bot's ids must not collide with the old bot's claims.
    if (otherBot) await tx.delete(telegramUpdates).where(eq(telegramUpdates.tenantId, tenantId));
    // Owners linked their chats with the old bot; the new one cannot write to them until they link again.
    if (otherBot) await tx.update(users).set({ telegramChatId: null }).where(eq(users.tenantId, tenantId));
  });
  if (otherBot && previous) await forgetWebhook(env, tenantId, previous.encrypted);
  return {
    connected: true,
    bot_username: username,
    webhook: await webhookStatus(api, tenantId),
    last_update_at: await lastUpdateAt(db, tenantId),
  };
}

/**
 * Tells Telegram to deliver to this tenant's webhook with a fresh secret (pending updates are kept) and
 * returns the secret; the caller stores its hash. A refused URL is a 422, a refused token 409, anything
 * else a 502.
 */
export async function registerWebhook(api: BotApi, tenantId: string, publicBaseUrl: string): Promise<string> {
  const secret = randomToken(32); // 256 bits, base64url: within Telegram's [A-Za-z0-9_-]{1,256}
  try {
    await api.call("setWebhook", {
      url: webhookUrl(publicBaseUrl, tenantId),
      secret_token: secret,
      allowed_updates: ALLOWED_UPDATES,
      drop_pending_updates: false,
    });
  } catch (err) {
    if (err instanceof BotApiError && err.status === 400) {
      throw new AppError(
        "validation_failed",
        `Telegram refused the webhook URL (${err.description}); FRONTEND_BASE_URL must be a public HTTPS origin.`,
      );
    }
    if (err instanceof BotApiError && err.unauthorized) {
      throw new AppError("conflict", "Telegram no longer accepts this bot's token; connect the bot again.");
    }
    throw upstream("setWebhook", err);
  }
  return secret;
}

/** When the last update reached the webhook (the newest claim; pruning always keeps the newest). */
export async function lastUpdateAt(db: Database, tenantId: string): Promise<string | null> {
  const [row] = await db
    .select({ at: max(telegramUpdates.receivedAt) })
    .from(telegramUpdates)
    .where(eq(telegramUpdates.tenantId, tenantId));
  return row?.at ? new Date(row.at).toISOString() : null;
}

/** The connected bot and its webhook as Telegram reports it. */
export async function botStatus(db: Database, env: Bindings, tenantId: string): Promise<TelegramStatus> {
  const [row] = await db
    .select({ username: telegramBots.botUsername, encrypted: telegramBots.botTokenEncrypted })
    .from(telegramBots)
    .where(eq(telegramBots.tenantId, tenantId));
  if (!row) return NOT_CONNECTED;
  let webhook: TelegramStatus["webhook"] = null;
  try {
    const token = await decryptBotToken(env, tenantId, row.encrypted);
    webhook = await webhookStatus(apiFor(env, token), tenantId);
  } catch (err) {
    log("warn", "telegram bot token unusable", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return {
    connected: true,
    bot_username: row.username,
    webhook,
    last_update_at: await lastUpdateAt(db, tenantId),
  };
}

/** Removes the webhook (best effort) and forgets the token and its update claims. */
export async function disconnectBot(db: Database, env: Bindings, tenantId: string): Promise<void> {
  const [row] = await db
    .delete(telegramBots)
    .where(eq(telegramBots.tenantId, tenantId))
    .returning({ encrypted: telegramBots.botTokenEncrypted });
  await db.delete(telegramUpdates).where(eq(telegramUpdates.tenantId, tenantId));
  await db.update(users).set({ telegramChatId: null }).where(eq(users.tenantId, tenantId));
  if (row) await forgetWebhook(env, tenantId, row.encrypted);
}

async function forgetWebhook(env: Bindings, tenantId: string, encrypted: string): Promise<void> {
  try {
    const token = await decryptBotToken(env, tenantId, encrypted);
    await apiFor(env, token).call("deleteWebhook", { drop_pending_updates: false });
  } catch (err) {
    log("warn", "telegram deleteWebhook failed; the old webhook may stay set", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/** Telegram's getWebhookInfo for the bot, or null when Telegram does not answer. */
export async function webhookStatus(api: BotApi, tenantId: string): Promise<TelegramStatus["webhook"]> {
  try {
    const info = WebhookInfoSchema.parse(await api.call("getWebhookInfo", {}, NO_RETRY));
    return {
      url: info.url,
      pending_update_count: info.pending_update_count,
      last_error_message: info.last_error_message ?? null,
      last_error_date: info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : null,
    };
  } catch (err) {
    log("warn", "telegram getWebhookInfo failed", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
    return null;
  }
}
