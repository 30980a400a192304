/**
 * The setup chat's opening question (docs/chat-engine.md "The setup chat opens itself"). When the owner
 * opens an empty setup chat, the server stores this fixed, localized message as the dialog's first
 * assistant message (no model call): it costs nothing, works the same with the offline stand-in and the
 * real model, and the model reads it in the history of the owner's first turn, so it knows what it asked.
 * A tenant without knowledge is asked what the business does (the stand-in's first interview topic too);
 * one with chunks already is asked what to add or change.
 */
import type { Refusal } from "./dialog-contract.ts";

/** What opening a setup chat needs: the owner (the admin dialog's visitor) and the dialog's new id. */
export interface SetupChatOpen {
  tenantId: string;
  visitorId: string;
  userId: string;
  dialogId: string;
  /** The language of the greeting; absent: the tenant's locale. */
  locale?: string | undefined;
}

/** The opened dialog and the greeting stored as its first message. */
export type SetupChatOpened =
  | { ok: true; dialogId: string; messageId: string; text: string; createdAt: number }
  | Refusal;

const GREETING = {
  ru: {
    empty:
      "Здравствуйте! Я помогу настроить агента вашего сайта: задам несколько вопросов и сохраню ответы как его знания. " +
      "Чем занимается ваша компания: что вы продаёте или какие услуги оказываете?",
    filled:
      "Здравствуйте! В знаниях агента уже есть темы ({count}). Что добавить или поправить: новые услуги, цены, " +
      "условия доставки? Могу и предложить, чего ещё не хватает.",
  },
  en: {
    empty:
      "Hello! I will help you set up your website's agent: I will ask a few questions and save your answers as its knowledge. " +
      "What does your business do: what do you sell, or which services do you offer?",
    filled:
      "Hello! The agent already knows a few things ({count} topics). What should we add or correct: new services, " +
      "prices, delivery terms? I can also suggest what is still missing.",
  },
} as const;

/** The opening question in `locale` (Russian unless English is asked for). */
export function adminGreeting(locale: string | null | undefined, chunkCount: number): string {
  const texts = locale?.toLowerCase().startsWith("en") ? GREETING.en : GREETING.ru;
  return chunkCount > 0 ? texts.filled.replace("{count}", String(chunkCount)) : texts.empty;
}
