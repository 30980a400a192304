/**
 * The detector against replies built the way models write them: prose (Markdown, emoji, brackets that are
 * not tags) around blocks in every spelling the chat accepts — tags in any case and with whitespace inside
 * the brackets, command names in any case or in emphasis, one-line blocks with arguments, blocks in a code
 * fence or in single backticks, a stray closing tag, an unclosed block at the end — fed in arbitrary
 * pieces. Whatever the split: the text never holds a tag, the prose comes through (only the blocks, their
 * fences and stray tags go), and the blocks found are the blocks written.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DetectorEvent, ExecuteDetector } from "../../src/chat/execute-detector.ts";

const ANY_TAG = /\[\s*\/?\s*execute\s*\]/i;

/** A command as written: its canonical name and `key=value` arguments. */
interface Command {
  name: string;
  params: Record<string, string>;
}

/** One generated block: how it reads in the reply, and what the detector must report (null: no command). */
interface Block {
  source: string;
  command: Command | null;
}

type Piece =
  | { kind: "prose"; text: string }
  | { kind: "block"; block: Block }
  | { kind: "stray"; text: string };

// ---- prose ----

/** Prose the way models write it: Markdown, emoji, and brackets that are not tags. None ends in `[` or a backtick. */
const PROSE = [
  "Конечно! Сейчас покажу 👇",
  "Here you go:",
  "Вот что я нашёл:",
  "Let me check that for you.",
  "**Итого:** доставка бесплатная.",
  "- первый пункт\n- второй пункт",
  "1. Measure\n2. Order\n3. Install",
  "Подробнее [см. выше].",
  "Монтаж занимает один день [1], гарантия пять лет [2].",
  "[1] Для квартир в пределах МКАД.",
  "- [ ] book a measurement\n- [x] pick a window",
  "See [our catalog](https://example.com/catalog) for details.",
  "Код ошибки [EXEC-42] означает, что оплата не прошла.",
  "Поле [Execution date] в счёте — дата списания.",
  "The array `items[0]` is the first one.",
  "Цена = 500 руб., срок: 1 день.",
  "| Тип | Цена |\n|---|---|\n| Окно | 4 500 ₽ |",
  "🎉🎉🎉 Great news! 🚚⚡️",
  "Anything else? 😊",
  "Что-нибудь ещё?",
  "_Цены указаны без учёта доставки._",
  "[ ]",
  "a[i] = b[j];",
];
const proseWord = fc.constantFrom(
  "окна",
  "доставка",
  "windows",
  "delivery",
  "срок",
  "price",
  "🙂",
  "—",
  "3 дня",
  "ok.",
);
const prose = fc.oneof(
  { arbitrary: fc.constantFrom(...PROSE), weight: 3 },
  { arbitrary: fc.array(proseWord, { minLength: 1, maxLength: 6 }).map((w) => w.join(" ")), weight: 1 },
);
/** What separates a block from its neighbours: whitespace only, so the prose is easy to compare. */
const separator = fc.constantFrom(" ", "\n", "\n\n", "  ", "\t", "\r\n");

// ---- blocks ----

const word = fc.constantFrom(
  "доставка",
  "по",
  "Москве",
  "warranty",
  "installation",
  "цены",
  "монтаж",
  "one day",
);
const uuid = fc.uuid({ version: 4 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ name: "LIST_GALLERIES", params: {} }),
  fc.constant({ name: "RAG_LIST_DOCUMENTS", params: {} }),
  uuid.map((id) => ({ name: "SHOW_GALLERY", params: { group_id: id } })),
  uuid.map((id) => ({ name: "RAG_GET_DOCUMENT", params: { document_id: id } })),
  fc
    .tuple(fc.constantFrom("query", "q"), fc.array(word, { minLength: 1, maxLength: 4 }))
    .map(([key, words]) => ({ name: "RAG_SEARCH", params: { [key]: words.join(" ") } })),
  fc.constant({ name: "BOOK_TABLE", params: { date: "2026-05-01" } }),
);

/** Whitespace inside a tag's brackets: mostly none or one space, up to the 16 the detector allows. */
const gap = fc.oneof(
  { arbitrary: fc.constant(""), weight: 4 },
  { arbitrary: fc.constant(" "), weight: 3 },
  { arbitrary: fc.stringMatching(/^[ \t]{1,16}$/), weight: 1 },
);
/** "execute" in some case: canonical, lower, title or mixed. */
const tagWord = fc.oneof(
  fc.constantFrom("EXECUTE", "execute", "Execute"),
  fc
    .array(fc.boolean(), { minLength: 7, maxLength: 7 })
    .map((upper) => [..."execute"].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join("")),
);
const openTag = fc.tuple(gap, tagWord, gap).map(([a, w, b]) => `[${a}${w}${b}]`);
const closeTag = fc.tuple(gap, gap, tagWord, gap).map(([a, b, w, c]) => `[${a}/${b}${w}${c}]`);

/** The name as written: any case, maybe in emphasis or backticks. */
const nameAs = (name: string) =>
  fc
    .tuple(
      fc.constantFrom<(s: string) => string>(
        (s) => s,
        (s) => s.toLowerCase(),
        (s) => s[0] + s.slice(1).toLowerCase(),
      ),
      fc.constantFrom("", "**", "`", "__"),
    )
    .map(([spell, mark]) => `${mark}${spell(name)}${mark}`);

const block: fc.Arbitrary<Block> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        command,
        open: openTag,
        close: closeTag,
        oneLine: fc.boolean(),
        pad: fc.constantFrom("", " ", "  "),
        eol: fc.constantFrom("\n", "\r\n"),
        fence: fc.constantFrom("none", "none", "```", "```text", "`"),
      })
      .chain((b) => nameAs(b.command.name).map((name) => ({ ...b, name })))
      .map(({ command: c, open, close, oneLine, pad, eol, fence, name }): Block => {
        const args = Object.entries(c.params).map(([k, v]) => `${k}=${v}`);
        // Inline code never spans lines: single backticks only around one-line blocks.
        const inline = oneLine || fence === "`";
        const body = inline
          ? `${pad || (args.length ? " " : "")}${[name, ...args].join(" ")}${pad || (args.length ? " " : "")}`
          : `${eol}${[name, ...args].join(eol)}${eol}`;
        const raw = `${open}${body}${close}`;
        const source = fence === "none" ? raw : fence === "`" ? `\`${raw}\`` : `${fence}\n${raw}\n\`\`\``;
        return { source, command: c };
      }),
  },
  // An empty block names no command.
  {
    weight: 1,
    arbitrary: fc
      .tuple(openTag, closeTag, fc.constantFrom("", " ", "\n"))
      .map(([o, c, s]): Block => ({ source: `${o}${s}${c}`, command: null })),
  },
);

/** A reply: prose and blocks, with stray closing tags, blocks at either end, maybe an unclosed block last. */
const reply = fc
  .record({
    pieces: fc.array(
      fc.oneof(
        { arbitrary: prose.map((text): Piece => ({ kind: "prose", text })), weight: 3 },
        { arbitrary: block.map((b): Piece => ({ kind: "block", block: b })), weight: 2 },
        { arbitrary: closeTag.map((text): Piece => ({ kind: "stray", text })), weight: 1 },
      ),
      { minLength: 1, maxLength: 8 },
    ),
    seps: fc.array(separator, { minLength: 8, maxLength: 8 }),
    unclosed: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(openTag, command, fc.constantFrom("\n", " "))
          .map(([o, c, s]) => [o, c.name, ...Object.entries(c.params).map(([k, v]) => `${k}=${v}`)].join(s)),
      },
    ),
  })
  .map(({ pieces, seps, unclosed }) => {
    const parts = pieces.map((p) =>
      p.kind === "prose" ? p.text : p.kind === "stray" ? p.text : p.block.source,
    );
    let source = parts.map((part, i) => (i === 0 ? part : `${seps[i % seps.length]}${part}`)).join("");
    if (unclosed !== null) source += `${seps[0]}${unclosed}`;
    return {
      source,
      prose: pieces.flatMap((p) => (p.kind === "prose" ? [p.text] : [])).join(""),
      blocks: pieces.flatMap((p) => (p.kind === "block" ? [p.block.command] : [])),
      unclosed: unclosed !== null,
    };
  });

// ---- running the detector ----

/** Splits `input` at the given cut points (any order, duplicates and out-of-range values allowed). */
function splitAt(input: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of [...points, input.length]) {
    chunks.push(input.slice(from, point));
    from = point;
  }
  return chunks;
}

function detect(chunks: string[]): DetectorEvent[] {
  const detector = new ExecuteDetector();
  const events: DetectorEvent[] = [];
  for (const chunk of chunks) events.push(...detector.push(chunk));
  events.push(...detector.flush());
  return events;
}

/** What a run found: the text as one string, the blocks' commands, and how many blocks were unclosed. */
function summary(events: DetectorEvent[]) {
  return {
    text: events.map((e) => (e.type === "text" ? e.text : "")).join(""),
    blocks: events.flatMap((e) =>
      e.type === "block"
        ? [e.command && { name: e.command.name, params: e.command.params, args: e.command.args }]
        : [],
    ),
    unclosed: events.filter((e) => e.type === "unclosed").length,
  };
}

const squash = (s: string) => s.replace(/\s+/g, "");
/** A summary with its text's whitespace squashed out. */
const squashed = (x: ReturnType<typeof summary>) => ({ ...x, text: squash(x.text) });
const expected = (c: Command | null) => c && { name: c.name, params: c.params, args: [] };

describe("ExecuteDetector on model-style replies", () => {
  it("finds exactly the blocks written and keeps the prose, never a tag, whatever the split", () => {
    fc.assert(
      fc.property(reply, fc.array(fc.nat(), { maxLength: 40 }), (r, cuts) => {
        const whole = summary(detect([r.source]));
        expect(whole.text).not.toMatch(ANY_TAG);
        expect(whole.blocks).toEqual(r.blocks.map(expected));
        expect(whole.unclosed).toBe(r.unclosed ? 1 : 0);
        // Only blocks, their fences and stray tags go: the prose is all there, whitespace aside.
        expect(squash(whole.text)).toBe(squash(r.prose));
        const split = summary(detect(splitAt(r.source, cuts)));
        expect(split.text).not.toMatch(ANY_TAG);
        expect(squashed(split)).toEqual(squashed(whole));
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same blocks and text one character at a time", () => {
    fc.assert(
      fc.property(reply, (r) => {
        const one = summary(detect([...r.source]));
        expect(one.text).not.toMatch(ANY_TAG);
        expect(squashed(one)).toEqual(squashed(summary(detect([r.source]))));
      }),
      { numRuns: 150 },
    );
  });

  it("drops the same spaces after a closing fence however the reply is split", () => {
    const source = "```\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n```  Далее";
    const at = source.indexOf("```  ") + 3;
    const whole = summary(detect([source]));
    expect(summary(detect([source.slice(0, at), source.slice(at)]))).toEqual(whole);
    expect(summary(detect([...source]))).toEqual(whole);
  });

  it.each([
    ["a canonical block", "Вот: [EXECUTE]\nLIST_GALLERIES\n[/EXECUTE] всё", "Вот: ", " всё"],
    [
      "a fenced block",
      "Here you go:\n```text\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n```\nDone",
      "Here you go:\n",
      "\nDone",
    ],
    ["a block in backticks", "См. `[EXECUTE] LIST_GALLERIES [/EXECUTE]` ниже", "См. ", " ниже"],
    ["spaced, lower-case tags", "x [ execute ] list_galleries [ / execute ] y", "x ", " y"],
  ])("takes %s out and leaves the text around it as written", (_, source, before, after) => {
    const events = detect(splitAt(source, [3, 11, 17, 29]));
    const { text, blocks } = summary(events);
    expect(blocks).toEqual([{ name: "LIST_GALLERIES", params: {}, args: [] }]);
    expect(text).toBe(before + after);
  });

  it.each([
    [
      "inline code",
      "Run `npm i` [EXECUTE] LIST_GALLERIES [/EXECUTE] then reload.",
      "Run `npm i` ",
      " then reload.",
    ],
    [
      "a code block",
      'Paste this:\n```html\n<script src="w.js"></script>\n```\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\nDone.',
      'Paste this:\n```html\n<script src="w.js"></script>\n```\n',
      "\nDone.",
    ],
  ])(
    "does not take the closing backticks of %s that ends right before a block",
    (_, source, before, after) => {
      const { text, blocks } = summary(detect([source]));
      expect(blocks).toEqual([{ name: "LIST_GALLERIES", params: {}, args: [] }]);
      expect(text).toBe(before + after);
    },
  );
});
