/**
 * ru/en texts. The cabinet speaks the tenant's locale; the chat pages the visitor's (`chatLocale`: pinned by
 * the tenant, else the browser's ru or en, else the tenant's). English is the fallback.
 */

export type Locale = "ru" | "en";

let current: Locale = "en";

/**
 * The chat's language for a visitor: the tenant's pinned one, else the first of the browser's languages
 * that is Russian or English, else the tenant's locale.
 */
export function chatLocale(
  pinned: string | null | undefined,
  tenantLocale: string,
  languages: readonly string[] = (typeof navigator === "undefined" ? undefined : navigator.languages) ?? [],
): Locale {
  if (pinned === "ru" || pinned === "en") return pinned;
  for (const tag of languages) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "ru" || primary === "en") return primary;
  }
  return tenantLocale === "en" ? "en" : "ru";
}

/** Sets the page's locale (also `<html lang>`). */
export function setLocale(locale: string | null | undefined): void {
  current = locale === "ru" ? "ru" : "en";
  document.documentElement.lang = current;
}

/** The page's locale. */
export function getLocale(): Locale {
  return current;
}

/**
 * A translation function over two dictionaries with the same keys. `{name}` placeholders are filled
 * from `vars`; the result is plain text (callers put it in text nodes).
 */
export function dictionary<K extends string>(
  en: Record<K, string>,
  ru: Record<K, string>,
): (key: K, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    const text = (current === "ru" ? ru : en)[key] ?? en[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
  };
}

const en = {
  loading: "Loading…",
  notFound: "Page not found.",
  tenantMissing: "There is no chat at this address.",
  networkError: "No connection. Check the network and try again.",
  rateLimited: "Too many requests. Try again in a moment.",
  rateLimitedIn: "Too many requests. Try again in {s} s.",
  serverError: "Something went wrong on our side. Try again.",
  messageLabel: "Your message",
  messagePlaceholder: "Write a message…",
  send: "Send",
  stop: "Stop",
  retry: "Retry",
  newChat: "New conversation",
  typing: "The assistant is typing",
  thinking: "Thinking…",
  stopped: "Stopped.",
  interrupted: "The answer was interrupted.",
  chatLog: "Conversation",
  you: "You",
  visitor: "Visitor",
  assistant: "Assistant",
  tooLong: "At most {max} characters.",
  gallery: "Gallery",
  openImage: "Open image {n} of {total}",
  closeImage: "Close",
  prevImage: "Previous image",
  nextImage: "Next image",
  imageOf: "Image {n} of {total}",
  sources: "Sources",
  documents: "Documents",
  galleries: "Galleries",
  poweredBy: "AI assistant",
  enterHint: "Enter to send, Shift+Enter for a new line",
  operator: "Operator",
  operatorActive: "{name} is answering you in this chat.",
  operatorActiveAnon: "An operator is answering you in this chat.",
  humanCheck: "A quick check that you are human starts the conversation.",
  humanCheckFailed: "The human check did not pass. Try again.",
  humanCheckUnavailable: "The human check could not load. Check the connection and try again.",
  startersLabel: "Suggested questions",
};

const ru: Record<keyof typeof en, string> = {
  loading: "Загрузка…",
  notFound: "Страница не найдена.",
  tenantMissing: "По этому адресу чата нет.",
  networkError: "Нет связи. Проверьте сеть и попробуйте снова.",
  rateLimited: "Слишком много запросов. Попробуйте чуть позже.",
  rateLimitedIn: "Слишком много запросов. Попробуйте через {s} с.",
  serverError: "У нас что-то пошло не так. Попробуйте снова.",
  messageLabel: "Ваше сообщение",
  messagePlaceholder: "Напишите сообщение…",
  send: "Отправить",
  stop: "Остановить",
  retry: "Повторить",
  newChat: "Новый диалог",
  typing: "Ассистент печатает",
  thinking: "Думает…",
  stopped: "Остановлено.",
  interrupted: "Ответ прервался.",
  chatLog: "Диалог",
  you: "Вы",
  visitor: "Посетитель",
  assistant: "Ассистент",
  tooLong: "Не больше {max} символов.",
  gallery: "Галерея",
  openImage: "Открыть изображение {n} из {total}",
  closeImage: "Закрыть",
  prevImage: "Предыдущее изображение",
  nextImage: "Следующее изображение",
  imageOf: "Изображение {n} из {total}",
  sources: "Источники",
  documents: "Документы",
  galleries: "Галереи",
  poweredBy: "ИИ-ассистент",
  enterHint: "Enter — отправить, Shift+Enter — новая строка",
  operator: "Оператор",
  operatorActive: "Вам отвечает {name}.",
  operatorActiveAnon: "Вам отвечает оператор.",
  humanCheck: "Короткая проверка, что вы человек, — и диалог начнётся.",
  humanCheckFailed: "Проверка не пройдена. Попробуйте ещё раз.",
  humanCheckUnavailable: "Проверка не загрузилась. Проверьте связь и попробуйте снова.",
  startersLabel: "Частые вопросы",
};

/** Texts shared by the chat and the pages. */
export const t = dictionary(en, ru);
