/**
 * Channel health for the Telegram bot: re-registering its webhook on demand (a fresh secret, pending
 * updates kept), for when getWebhookInfo shows delivery errors or the public URL changed.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { telegramBots } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import type { TelegramStatus } from "../../schemas/telegram.ts";
import { apiFor, botStatus, registerWebhook } from "./connection.ts";
import { decryptBotToken } from "./token-crypto.ts";

/**
 * Calls setWebhook again for the connected bot with a fresh secret and stores the secret's hash; answers
 * the new status. No bot: 404. A token Telegram no longer accepts: 409 (connect the bot again).
 */
export async function reregisterWebhook(
  db: Database,
  env: Bindings,
  tenantId: string,
  publicBaseUrl: string,
): Promise<TelegramStatus> {
  const [row] = await db
    .select({ encrypted: telegramBots.botTokenEncrypted })
    .from(telegramBots)
    .where(eq(telegramBots.tenantId, tenantId));
  if (!row) throw new AppError("not_found", "No Telegram bot is connected.");
  let token: string;
  try {
    token = await decryptBotToken(env, tenantId, row.encrypted);
  } catch (err) {
    log("error", "telegram bot token cannot be decrypted", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
    throw new AppError("conflict", "The stored bot token cannot be read; connect the bot again.");
  }
  const secret = await registerWebhook(apiFor(env, token), tenantId, publicBaseUrl);
  await db
    .update(telegramBots)
    .set({ webhookSecretHash: await sha256Hex(secret), updatedAt: new Date() })
    .where(eq(telegramBots.tenantId, tenantId));
  return botStatus(db, env, tenantId);
}
