/**
 * Delivers an operator's reply (human takeover, written in the cabinet) to the Telegram chat of a dialog
 * through the tenant's bot: plain `sendMessage` calls, split like the model's answers. The reply is
 * already stored in the dialog; this only reports whether Telegram accepted it.
 */
import type { Bindings } from "../../env.ts";
import { log } from "../../lib/log.ts";
import { createBotApi, type RetryPolicy } from "./bot-api.ts";
import { sendText } from "./sender.ts";
import { telegramApiUrl } from "./settings.ts";
import { decryptBotToken } from "./token-crypto.ts";

/** The operator waits for this call in the cabinet: fewer and shorter retries than the bot's own. */
export const OPERATOR_RETRY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 300,
  maxDelayMs: 3_000,
  timeoutMs: 8_000,
};

/**
 * Sends `text` to the chat `chatId` with the tenant's bot (`botTokenEncrypted`, null when none is
 * connected); false (logged without the token) when there is no bot or Telegram did not accept it.
 */
export async function sendOperatorReply(
  env: Bindings,
  tenantId: string,
  botTokenEncrypted: string | null,
  chatId: string,
  text: string,
  retry: RetryPolicy = OPERATOR_RETRY,
): Promise<boolean> {
  const context = { tenantId };
  const chat = Number(chatId);
  if (!Number.isSafeInteger(chat)) {
    log("warn", "operator reply: the dialog's chat id is not a Telegram chat id", context);
    return false;
  }
  if (!botTokenEncrypted) {
    log("warn", "operator reply not sent: the tenant has no Telegram bot connected", context);
    return false;
  }
  try {
    const token = await decryptBotToken(env, tenantId, botTokenEncrypted);
    await sendText(createBotApi({ baseUrl: telegramApiUrl(env), token, retry }), chat, text);
    return true;
  } catch (err) {
    log("warn", "operator reply not accepted by Telegram", {
      ...context,
      error: err instanceof Error ? err.message.slice(0, 300) : String(err),
    });
    return false;
  }
}
