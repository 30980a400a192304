/**
 * What commands say, in the tenant's language (ru or en). Visitor-facing texts name things by title, never
 * by raw id; the ids a model needs on a later turn go into the result's `note` instead. Failure texts say
 * why and what to do, so the setup assistant can correct itself on the next turn.
 */
export type Locale = "ru" | "en";

const TEXTS = {
  chunkAdded: {
    ru: "✅ Сохранено: «{question}» (позиция {position}).",
    en: "✅ Saved: “{question}” (position {position}).",
  },
  chunkUpdated: { ru: "✏️ Обновлено: «{question}».", en: "✏️ Updated: “{question}”." },
  chunkDeleted: { ru: "🗑 Удалено: «{question}».", en: "🗑 Deleted: “{question}”." },
  noQuestion: {
    ru: "⚠️ Не сохранено: нет вопроса. Первая строка ADD_CHUNK — вопрос, со второй строки — текст.",
    en: "⚠️ Not saved: no question. Line 1 of ADD_CHUNK is the question, the text starts on line 2.",
  },
  noText: {
    ru: "⚠️ Не сохранено: нет текста. После строки с {what} нужен текст ответа (со следующей строки).",
    en: "⚠️ Not saved: no text. After the line with the {what}, write the answer text (from the next line).",
  },
  questionTooLong: {
    ru: "⚠️ Не сохранено: вопрос длиннее {max} символов ({length}). Сократите его.",
    en: "⚠️ Not saved: the question is longer than {max} characters ({length}). Shorten it.",
  },
  textTooLong: {
    ru: "⚠️ Не сохранено: текст длиннее {max} символов ({length}). Разбейте его на несколько чанков.",
    en: "⚠️ Not saved: the text is longer than {max} characters ({length}). Split it into several chunks.",
  },
  badPosition: {
    ru: "⚠️ Не сохранено: позиция должна быть целым числом от 1.",
    en: "⚠️ Not saved: the position must be a whole number from 1.",
  },
  badCharacters: {
    ru: "⚠️ Не сохранено: в тексте есть недопустимые символы.",
    en: "⚠️ Not saved: the text holds characters that cannot be stored.",
  },
  tooManyChunks: {
    ru: "⚠️ Не сохранено: достигнут предел в {max} чанков. Объедините или удалите лишние.",
    en: "⚠️ Not saved: the limit of {max} chunks is reached. Merge or delete some first.",
  },
  needsChunkId: {
    ru: "⚠️ {command}: первая строка — UUID чанка из списка текущих чанков.",
    en: "⚠️ {command}: line 1 must be the chunk's UUID from the current chunk list.",
  },
  noSuchChunk: {
    ru: "⚠️ {command}: такого чанка нет. Возьмите UUID из списка текущих чанков.",
    en: "⚠️ {command}: there is no such chunk. Copy the UUID from the current chunk list.",
  },
  tookTooLong: {
    ru: "⚠️ {command}: не успело выполниться, попробуйте ещё раз.",
    en: "⚠️ {command} took too long; try again.",
  },
  commandFailed: { ru: "⚠️ {command}: не получилось выполнить.", en: "⚠️ {command} failed." },
  startersSet: {
    ru: "✅ Вопросы-подсказки для посетителей сохранены ({count}):",
    en: "✅ Starter questions for visitors saved ({count}):",
  },
  startersCleared: { ru: "🗑 Вопросы-подсказки убраны.", en: "🗑 Starter questions removed." },
  tooManyStarters: {
    ru: "⚠️ Не сохранено: вопросов-подсказок не больше {max} (сейчас {count}). Оставьте самые важные.",
    en: "⚠️ Not saved: at most {max} starter questions ({count} given). Keep the most useful ones.",
  },
  starterTooLong: {
    ru: "⚠️ Не сохранено: вопрос-подсказка длиннее {max} символов: «{question}». Сократите его.",
    en: "⚠️ Not saved: a starter question is longer than {max} characters: “{question}”. Shorten it.",
  },
  noGalleries: { ru: "Галерей пока нет.", en: "No galleries yet." },
  galleries: { ru: "Галереи:", en: "Galleries:" },
  galleryLine: { ru: "• {title} — фото: {count}", en: "• {title} — {count} images" },
  needsGallery: { ru: "⚠️ Не указано, какую галерею показать.", en: "⚠️ No gallery was named." },
  noSuchGallery: { ru: "⚠️ Такой галереи нет.", en: "⚠️ There is no such gallery." },
  galleryShown: { ru: "{title} — фото ({count}):", en: "{title} — {count} images:" },
  galleryEmpty: { ru: "{title}: фотографий пока нет.", en: "{title}: no images yet." },
  noDocuments: { ru: "Документов пока нет.", en: "No documents yet." },
  documents: { ru: "Документы:", en: "Documents:" },
  needsDocument: { ru: "⚠️ Не указано, какой документ открыть.", en: "⚠️ No document was named." },
  noSuchDocument: { ru: "⚠️ Такого документа нет.", en: "⚠️ There is no such document." },
  needsQuery: { ru: "⚠️ Не указано, что искать.", en: "⚠️ Nothing to search for was given." },
  nothingFound: { ru: "По запросу «{query}» ничего не нашлось.", en: "Nothing found for “{query}”." },
  found: { ru: "Вот что нашлось:", en: "Here is what I found:" },
} as const satisfies Record<string, Record<Locale, string>>;

export type TextKey = keyof typeof TEXTS;

/** The text `key` in `locale`, with `{name}` placeholders filled in. */
export function say(locale: Locale, key: TextKey, vars: Record<string, string | number> = {}): string {
  return TEXTS[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
