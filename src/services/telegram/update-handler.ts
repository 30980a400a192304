/**
 * What the bot does with one claimed update, after the webhook has answered. It runs inside the chat's
 * dialog object (`dispatchUpdate`), not in the webhook's `waitUntil`, so a slow model cannot outlive the
 * ~30 s a Worker gets after its response and leave a stored answer undelivered:
 * `/start` greets, text runs one chat turn through the dialog's Durable Object (channel "telegram": same
 * ordering, leads and user-channel commands as the web chat), anything else gets a fixed polite answer.
 * It never throws: failures are logged without the token, and the dialog object has already stored the
 * assistant message whether or not Telegram accepted it.
 */
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import type { TelegramUpdate } from "../../schemas/telegram.ts";
import { sendChatTurn } from "../dialogs/chat.ts";
import { maxMessageChars } from "../platform/quotas.ts";
import { messageLength, tooLongText } from "../platform/visitor-gate.ts";
import { type BotApi, createBotApi, type RetryPolicy } from "./bot-api.ts";
import { telegramDialogId } from "./dialog-id.ts";
import { claimOwnerLink } from "./owner-link.ts";
import { galleryPhotos, sendPhotos, sendText, startTyping } from "./sender.ts";
import { telegramApiUrl } from "./settings.ts";
import { fixedText, welcomeText } from "./texts.ts";
import { decryptBotToken } from "./token-crypto.ts";
import type { WebhookBot } from "./webhook.ts";

/** Knobs for tests; production uses the defaults. */
export interface UpdateOptions {
  retry?: RetryPolicy;
  typingEveryMs?: number;
}

type Action =
  | { kind: "ignore" }
  | { kind: "link"; chatId: number; code: string; privateChat: boolean }
  | { kind: "start" | "unsupported" | "edited"; chatId: number }
  | { kind: "text"; chatId: number; text: string };

const START = /^\/start(?:@\w+)?(?:\s|$)/;
/** `/start <code>` of an owner link (owner-link.ts); any other payload is a plain /start. */
const START_LINK = /^\/start(?:@\w+)?\s+(owner_[A-Za-z0-9_-]{32})$/;

/** Decides what an update asks for, without side effects. */
export function classifyUpdate(update: TelegramUpdate): Action {
  if (update.message) {
    const { chat, from, text } = update.message;
    if (from?.is_bot) return { kind: "ignore" };
    const trimmed = text?.trim() ?? "";
    if (!trimmed) return { kind: "unsupported", chatId: chat.id };
    const link = START_LINK.exec(trimmed);
    if (link?.[1])
      return { kind: "link", chatId: chat.id, code: link[1], privateChat: chat.type === "private" };
    if (START.test(trimmed)) return { kind: "start", chatId: chat.id };
    return { kind: "text", chatId: chat.id, text: trimmed };
  }
  if (update.edited_message && !update.edited_message.from?.is_bot) {
    return { kind: "edited", chatId: update.edited_message.chat.id };
  }
  return { kind: "ignore" };
}

function fixedAnswer(bot: WebhookBot, kind: "start" | "unsupported" | "edited"): string {
  if (kind === "start") return welcomeText(bot.tenant);
  return fixedText(bot.tenant, kind === "edited" ? "editIgnored" : "textOnly");
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 300) : String(err);
}

/** Answers one update; resolves when every Bot API call has been made (or has failed for good). */
export async function handleUpdate(
  env: Bindings,
  bot: WebhookBot,
  update: TelegramUpdate,
  options: UpdateOptions = {},
): Promise<void> {
  const context = { tenantId: bot.tenantId, updateId: update.update_id };
  try {
    const action = classifyUpdate(update);
    if (action.kind === "ignore") return;
    const token = await decryptBotToken(env, bot.tenantId, bot.botTokenEncrypted);
    const api = createBotApi({
      baseUrl: telegramApiUrl(env),
      token,
      ...(options.retry && { retry: options.retry }),
    });
    if (action.kind === "text") await answer(env, api, bot, action.chatId, action.text, options, context);
    else if (action.kind === "link") {
      // Only a private chat is the owner's own: a group must not receive the tenant's leads.
      const linked =
        action.privateChat && (await claimOwnerLink(env, bot.tenantId, action.code, action.chatId));
      await sendText(api, action.chatId, fixedText(bot.tenant, linked ? "ownerLinked" : "ownerLinkInvalid"));
    } else await sendText(api, action.chatId, fixedAnswer(bot, action.kind));
  } catch (err) {
    log("error", "telegram update not answered", { ...context, error: describe(err) });
  }
}

async function answer(
  env: Bindings,
  api: BotApi,
  bot: WebhookBot,
  chatId: number,
  text: string,
  options: UpdateOptions,
  context: Record<string, unknown>,
): Promise<void> {
  // Over the tenant's length limit: a polite answer in its language, and no turn (no model call).
  const max = maxMessageChars(bot.tenant.settings);
  if (messageLength(text) > max) {
    await sendText(
      api,
      chatId,
      tooLongText(bot.tenant.locale.toLowerCase().startsWith("ru") ? "ru" : "en", max),
    );
    return;
  }
  const dialogId = await telegramDialogId(bot.tenantId, chatId);
  const typing = startTyping(api, chatId, options.typingEveryMs);
  let result: Awaited<ReturnType<typeof sendChatTurn>>;
  try {
    result = await sendChatTurn(env, {
      tenantId: bot.tenantId,
      channel: "telegram",
      visitorId: String(chatId),
      message: text,
      dialogId,
      createIfMissing: true,
    });
  } catch (err) {
    log("warn", "telegram turn failed", { ...context, dialogId, error: describe(err) });
    const busy = err instanceof AppError && err.code === "rate_limited";
    // A budget refusal already speaks the tenant's language and says when to come back.
    const capped =
      err instanceof AppError && (err.code === "budget_exceeded" || err.code === "visitor_rate_limited");
    await sendText(api, chatId, capped ? err.message : fixedText(bot.tenant, busy ? "busy" : "failed"));
    return;
  } finally {
    typing.stop();
  }
  // A human operator holds the dialog: the message is stored for them; their replies come from the cabinet.
  if (result.status === "taken_over") return;
  const photos = galleryPhotos(result.commands);
  const reply = result.reply.trim() || (photos.length ? "" : fixedText(bot.tenant, "failed"));
  if (reply) await sendText(api, chatId, reply);
  try {
    await sendPhotos(api, chatId, photos);
  } catch (err) {
    log("error", "telegram gallery not sent", { ...context, dialogId, error: describe(err) });
  }
}

/**
 * Hands a claimed update to the dialog object of its chat, which answers it after this returns. Updates
 * that need no answer are dropped here.
 */
export async function dispatchUpdate(env: Bindings, bot: WebhookBot, update: TelegramUpdate): Promise<void> {
  const action = classifyUpdate(update);
  if (action.kind === "ignore") return;
  const dialogId = await telegramDialogId(bot.tenantId, action.chatId);
  await env.DIALOGS.getByName(dialogId).telegramUpdate(bot, update);
}
