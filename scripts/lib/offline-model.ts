/**
 * What the offline stand-in model says (`npm run dev` without DEEPSEEK_API_KEY): pure functions from the
 * request's messages to the reply text; fake-model.ts puts them on the wire. It plays the product, crudely
 * and openly (every reply carries OFFLINE_MARK):
 * - the owner's setup chat (the admin prompt, recognised by its CURRENT CHUNKS list) becomes a short
 *   interview: one question per turn, picked by how many assistant turns the history holds, and the
 *   owner's previous answer saved verbatim with an ADD_CHUNK block in the seed's grammar;
 * - a visitor (any other prompt) gets the chunk of the KNOWLEDGE section sharing the most words with the
 *   message, quoted, or a LIST_GALLERIES block when they ask for photos; the message is echoed back.
 */

export const OFFLINE_MARK = "[offline stand-in model]";

/** One message of an OpenAI-style request, as received (content may be anything). */
export interface OfflineMessage {
  role?: string;
  content?: unknown;
}

type Lang = "ru" | "en";

interface Topic {
  /** What the stand-in asks the owner. */
  ask: string;
  /** The visitor's question the answer is saved under (line 1 of ADD_CHUNK). */
  question: string;
}

const TOPICS: Record<Lang, Topic[]> = {
  ru: [
    {
      ask: "Чем занимается ваша компания: что вы продаёте или какие услуги оказываете?",
      question: "Чем занимается компания?",
    },
    { ask: "Сколько стоят ваши товары или услуги? Назовите основные цены.", question: "Сколько это стоит?" },
    {
      ask: "Как устроена доставка и в какие часы вы работаете?",
      question: "Как работает доставка и когда вы работаете?",
    },
    { ask: "Как с вами связаться: телефон, e-mail, адрес?", question: "Как с вами связаться?" },
  ],
  en: [
    {
      ask: "What does your business do: what do you sell, or which services do you offer?",
      question: "What does the company do?",
    },
    {
      ask: "What do your products or services cost? Give me the main prices.",
      question: "What are the prices?",
    },
    {
      ask: "How does delivery work, and what are your working hours?",
      question: "How does delivery work and when are you open?",
    },
    { ask: "How can customers reach you: phone, e-mail, address?", question: "How can I contact you?" },
  ],
};

const TEXT = {
  ru: {
    offline:
      "Это ответ офлайн-заглушки CIP, а не DeepSeek: DEEPSEEK_API_KEY не задан. " +
      "Задайте его и перезапустите `npm run dev`, чтобы отвечала настоящая модель.",
    intro: "Я проведу короткое интервью (4 вопроса) и сохраню ваши ответы как знания агента сайта.",
    saved: "Сохраняю ваш ответ:",
    next: "Следующий вопрос:",
    done:
      "Интервью закончено. Знания можно поправить в кабинете (раздел «Промпт») " +
      "или начать новый диалог, чтобы пройти интервью ещё раз.",
    over: "Интервью офлайн-заглушки уже закончено; это сообщение я не сохранил.",
    found: (q: string) => `Ближе всего к вашему вопросу раздел «${q}»:`,
    none: "В базе знаний нет ничего похожего на ваш вопрос.",
    galleries: "Вот наши галереи:",
    echo: "Вы написали",
  },
  en: {
    offline:
      "This answer comes from CIP's local stand-in, not from DeepSeek: no DEEPSEEK_API_KEY is set. " +
      "Set it and restart `npm run dev` for real answers.",
    intro: "I will run a short interview (4 questions) and save your answers as the site agent's knowledge.",
    saved: "Saving your answer:",
    next: "Next question:",
    done:
      "The interview is over. Edit the knowledge in the cabinet (the Prompt section), " +
      "or start a new dialog to run the interview again.",
    over: "The offline stand-in's interview is already over; I did not save this message.",
    found: (q: string) => `Closest to your question is "${q}":`,
    none: "Nothing in the knowledge is close to your question.",
    galleries: "Here are our galleries:",
    echo: "You wrote",
  },
};

/** An EXECUTE tag in any case or spacing (the server's detector is as lenient). */
const EXECUTE_TAG = /\[\s*(\/?)\s*execute\s*\]/gi;
const GALLERY_WORDS = /галере|фото|gallery|galleries|photo|picture/i;
const STOP = new Set(
  (
    "что как это где для вас вам или есть какие какой какая когда можно мне нас так уже там тут чем при без " +
    "под над про все всё еще ещё у вы ли the and you your what how are for with from have has can does this " +
    "that there when where which about please hello our will would could tell"
  ).split(" "),
);

/** The reply to a request, by the kind of chat its system prompt belongs to. */
export function offlineReply(messages: readonly OfflineMessage[]): string {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => textOf(m))
    .join("\n\n");
  return isAdminPrompt(system) ? interviewReply(messages) : visitorReply(system, lastUserText(messages));
}

/** The owner's setup chat: its prompt always ends with the current chunk list. */
export function isAdminPrompt(system: string): boolean {
  return /\nCURRENT CHUNKS \(\d+\):\n/.test(system);
}

/** One interview turn: save the previous answer (if this is not the first turn), ask the next question. */
export function interviewReply(messages: readonly OfflineMessage[]): string {
  const lang = languageOf(messages);
  const t = TEXT[lang];
  const topics = TOPICS[lang];
  const asked = messages.filter((m) => m.role === "assistant").length;
  if (asked === 0) return `${OFFLINE_MARK} ${t.offline}\n\n${t.intro}\n\n${topics[0]?.ask}`;
  const topic = topics[asked - 1];
  if (!topic) return `${OFFLINE_MARK} ${t.over}`;
  const answer = defuse(lastUserText(messages)).trim();
  const block = answer ? `${t.saved}\n${addChunkBlock(topic.question, answer)}\n\n` : "";
  const next = topics[asked];
  return `${OFFLINE_MARK} ${block}${next ? `${t.next} ${next.ask}` : t.done}`;
}

/** ADD_CHUNK in the seed's grammar: line 1 the question, lines 2..n the text as written. */
export function addChunkBlock(question: string, text: string): string {
  return `[EXECUTE]\nADD_CHUNK\n${question}\n${text}\n[/EXECUTE]`;
}

/** A visitor's turn: galleries on request, else the best-matching chunk; the message is echoed. */
export function visitorReply(system: string, message: string): string {
  const lang = languageIn(message) ?? "ru";
  const t = TEXT[lang];
  const echo = `${t.echo}: "${defuse(message).slice(0, 200)}"`;
  if (GALLERY_WORDS.test(message))
    return `${OFFLINE_MARK} ${t.offline}\n\n${t.galleries}\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n\n${echo}`;
  const best = bestChunk(knowledgeOf(system), message);
  const answer = best ? `${t.found(best.question)}\n\n${best.text}` : t.none;
  return `${OFFLINE_MARK} ${t.offline}\n\n${answer}\n\n${echo}`;
}

/** The chunks of a user-chat prompt's KNOWLEDGE section (`### question` then the text, in order). */
export function knowledgeOf(system: string): Array<{ question: string; text: string }> {
  const at = system.lastIndexOf("\nKNOWLEDGE:\n");
  if (at < 0) return [];
  return system
    .slice(at + "\nKNOWLEDGE:\n".length)
    .split(/\n\n(?=### )/)
    .filter((section) => section.trimStart().startsWith("### "))
    .map((section) => {
      const [head = "", ...rest] = section.trim().split("\n");
      return { question: head.slice(4).trim(), text: rest.join("\n").trim() };
    });
}

/**
 * The chunk sharing the most words with the message (question words count twice), or null when none
 * shares any. Words match on a common prefix, a crude stand-in for stemming (цены ~ цена, price ~ prices).
 */
export function bestChunk<T extends { question: string; text: string }>(
  chunks: readonly T[],
  message: string,
): T | null {
  const wanted = [...new Set(wordsOf(message))];
  let best: T | null = null;
  let bestScore = 0;
  for (const chunk of chunks) {
    const inQuestion = wordsOf(chunk.question);
    const inText = wordsOf(chunk.text);
    let score = 0;
    for (const w of wanted) {
      if (inQuestion.some((x) => similar(w, x))) score += 2;
      else if (inText.some((x) => similar(w, x))) score += 1;
    }
    if (score > bestScore) [best, bestScore] = [chunk, score];
  }
  return best;
}

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOP.has(w));
}

function similar(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && a[common] === b[common]) common += 1;
  return common >= Math.max(3, Math.min(a.length, b.length) - 2);
}

/**
 * Russian when the owner's latest message with words has Cyrillic in them (Russian is the admin prompt's
 * default too); e-mail addresses and links say nothing about the language and are skipped.
 */
function languageOf(messages: readonly OfflineMessage[]): Lang {
  for (const m of [...messages].reverse()) {
    if (m.role !== "user") continue;
    const lang = languageIn(textOf(m));
    if (lang) return lang;
  }
  return "ru";
}

function languageIn(text: string): Lang | null {
  const words = text.replace(/\S+@\S+|\bhttps?:\/\/\S+|\bwww\.\S+/gi, " ");
  if (/[а-яё]/i.test(words)) return "ru";
  return /[a-z]/i.test(words) ? "en" : null;
}

/** Quoted text must not open or close a command block the server would run. */
function defuse(text: string): string {
  return text.replace(EXECUTE_TAG, (_tag, slash: string) => `⟦${slash}EXECUTE⟧`);
}

function textOf(m: OfflineMessage): string {
  return typeof m.content === "string" ? m.content : "";
}

/** The text of the last `user` message ("" when there is none). */
export function lastUserText(messages: readonly OfflineMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === "user");
  return last ? textOf(last) : "";
}
