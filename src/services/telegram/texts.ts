/** Fixed Telegram answers, in the tenant's locale (Russian or English). */
import type { TenantSettings } from "../../db/schema.ts";

export interface TenantVoice {
  name: string;
  locale: string;
  settings: TenantSettings;
}

type Lang = "ru" | "en";

const TEXTS = {
  welcome: {
    ru: (name: string) => `Здравствуйте! Я ассистент «${name}». Напишите свой вопрос — я отвечу.`,
    en: (name: string) => `Hello! I am the assistant of ${name}. Send me your question and I will answer.`,
  },
  textOnly: {
    ru: "Извините, я понимаю только текстовые сообщения. Напишите, пожалуйста, вопрос текстом.",
    en: "Sorry, I can read text messages only. Please send your question as text.",
  },
  editIgnored: {
    ru: "Я не читаю отредактированные сообщения. Пожалуйста, отправьте исправленный текст новым сообщением.",
    en: "I do not read edited messages. Please send the corrected text as a new message.",
  },
  busy: {
    ru: "Я ещё отвечаю на предыдущие сообщения. Подождите немного и напишите снова.",
    en: "I am still answering your previous messages. Please wait a moment and write again.",
  },
  failed: {
    ru: "Извините, сейчас я не могу ответить. Попробуйте, пожалуйста, чуть позже.",
    en: "Sorry, I cannot answer right now. Please try again a little later.",
  },
  ownerLinked: {
    ru: "Готово: уведомления о новых контактах будут приходить сюда. Отключить их можно в профиле кабинета.",
    en: "Done: alerts about new leads will come here. You can turn them off in your cabinet profile.",
  },
  ownerLinkInvalid: {
    ru: "Эта ссылка недействительна или устарела. Получите новую в кабинете (раздел Telegram).",
    en: "This link is not valid or has expired. Get a new one in the cabinet (Telegram section).",
  },
} as const;

function lang(locale: string): Lang {
  return locale.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** The /start greeting: the tenant's welcome text, else its widget greeting, else a default. */
export function welcomeText(tenant: TenantVoice): string {
  const own = tenant.settings.welcomeText?.trim() || tenant.settings.widget?.greeting?.trim();
  return own || TEXTS.welcome[lang(tenant.locale)](tenant.name);
}

/** A fixed answer for updates the bot does not run through the model. */
export function fixedText(
  tenant: TenantVoice,
  kind: "textOnly" | "editIgnored" | "busy" | "failed" | "ownerLinked" | "ownerLinkInvalid",
): string {
  return TEXTS[kind][lang(tenant.locale)];
}
