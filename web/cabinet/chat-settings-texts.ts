/** Cabinet texts of the base prompt editor, the starter questions and the chat language, in the page's locale. */
import { dictionary } from "../shared/i18n.ts";

const en = {
  baseTitle: "Base prompt",
  baseIntro:
    "The first part of the system prompt: who the assistant is and how it answers. The knowledge blocks below follow it.",
  baseDefault: "This is the platform's default prompt. Edit it to make it yours.",
  baseOwn: "Your own base prompt (changed {when}).",
  baseSave: "Save base prompt",
  baseReset: "Back to the default",
  baseSaved: "Saved to the draft: visitors get it once you publish.",
  baseUnchanged: "Nothing changed.",
  baseTooLong: "At most {max} characters.",
  baseHistory: "Base prompt history",
  baseNoHistory: "No changes yet.",
  baseRestore: "Restore this version",
  baseRestored: "Restored.",
  baseDefaultText: "(platform default)",
  baseActionUpdate: "Changed",
  baseActionReset: "Back to default",
  baseActionRestore: "Restored",
  startersTitle: "Starter questions",
  startersIntro:
    "Up to {max} short questions visitors see as buttons before their first message (at most {chars} characters each).",
  startersQuestion: "Question {n}",
  startersSave: "Save questions",
  startersSaved: "Saved to the draft: visitors see them once you publish it (Prompt section).",
  startersDuplicate: "The questions must differ from each other.",
  chatLanguage: "Chat language",
  chatLanguageAuto: "The visitor's browser language (Russian or English)",
  chatLanguageRu: "Always Russian",
  chatLanguageEn: "Always English",
};

const ru: Record<keyof typeof en, string> = {
  baseTitle: "Базовый промпт",
  baseIntro:
    "Первая часть системного промпта: кто такой ассистент и как он отвечает. После неё идут блоки знаний ниже.",
  baseDefault: "Сейчас это промпт платформы по умолчанию. Измените его, чтобы сделать своим.",
  baseOwn: "Ваш собственный базовый промпт (изменён {when}).",
  baseSave: "Сохранить базовый промпт",
  baseReset: "Вернуть промпт по умолчанию",
  baseSaved: "Сохранено в черновик: посетители получат его после публикации.",
  baseUnchanged: "Ничего не изменилось.",
  baseTooLong: "Не больше {max} символов.",
  baseHistory: "История базового промпта",
  baseNoHistory: "Изменений пока нет.",
  baseRestore: "Вернуть эту версию",
  baseRestored: "Восстановлено.",
  baseDefaultText: "(промпт по умолчанию)",
  baseActionUpdate: "Изменён",
  baseActionReset: "Возврат к умолчанию",
  baseActionRestore: "Восстановлен",
  startersTitle: "Вопросы-подсказки",
  startersIntro:
    "До {max} коротких вопросов, которые посетитель видит кнопками до первого сообщения (не длиннее {chars} символов).",
  startersQuestion: "Вопрос {n}",
  startersSave: "Сохранить вопросы",
  startersSaved: "Сохранено в черновик: посетители увидят их после публикации (раздел «Промпт»).",
  startersDuplicate: "Вопросы не должны повторяться.",
  chatLanguage: "Язык чата",
  chatLanguageAuto: "Язык браузера посетителя (русский или английский)",
  chatLanguageRu: "Всегда русский",
  chatLanguageEn: "Всегда английский",
};

/** The texts in the page's locale. */
export const cst = dictionary(en, ru);
