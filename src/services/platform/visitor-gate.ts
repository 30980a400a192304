/**
 * What every visitor message (web and Telegram) passes before any dialog object or model call: the tenant
 * is not blocked by the platform operator, and the message is not longer than the tenant's limit. Both
 * read the tenant settings the chat path already has (edge cache, webhook lookup): no extra round trip.
 * The answers are polite and in the visitor's language.
 */
import type { TenantSettings } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { maxMessageChars } from "./quotas.ts";

type Lang = "ru" | "en";

const UNAVAILABLE: Record<Lang, string> = {
  ru: "Извините, этот чат сейчас недоступен. Пожалуйста, попробуйте позже.",
  en: "Sorry, this chat is not available right now. Please try again later.",
};

const TOO_LONG: Record<Lang, (max: number) => string> = {
  ru: (max) => `Сообщение слишком длинное: не больше ${max} символов. Сократите его, пожалуйста.`,
  en: (max) => `The message is too long: at most ${max} characters. Please shorten it.`,
};

/** The "unavailable" answer of a blocked tenant's chat. */
export function unavailableText(lang: Lang): string {
  return UNAVAILABLE[lang];
}

/** The answer to a message over the tenant's limit. */
export function tooLongText(lang: Lang, max: number): string {
  return TOO_LONG[lang](max);
}

/** Characters as people count them (code points), like the other text limits. */
export function messageLength(text: string): number {
  return [...text].length;
}

/**
 * Refuses a visitor message of a blocked tenant (503 `tenant_unavailable`) or one over the tenant's
 * length limit (422 `message_too_long`), with a message the chat shows as is.
 */
export function refuseVisitorMessage(settings: TenantSettings, text: string, lang: Lang): void {
  if (settings.blocked === true) throw new AppError("tenant_unavailable", unavailableText(lang));
  const max = maxMessageChars(settings);
  if (messageLength(text) > max) throw new AppError("message_too_long", tooLongText(lang, max));
}
