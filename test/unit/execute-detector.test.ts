import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLOSE_TAG,
  createExecuteTransform,
  type DetectorEvent,
  ExecuteDetector,
  MAX_BLOCK_BODY,
  OPEN_TAG,
  type ParsedBlock,
  parseExecuteBlock,
} from "../../src/chat/execute-detector.ts";
import { TAG_RE } from "../../src/chat/execute-tags.ts";
import { VisibleTextGuard } from "../../src/chat/visible-text.ts";

type Segment = { text: string } | { block: string } | { unclosed: string };

/** Feeds the chunks in order, then flushes; returns every event. */
function detect(chunks: Iterable<string>): DetectorEvent[] {
  const detector = new ExecuteDetector();
  const events: DetectorEvent[] = [];
  for (const chunk of chunks) events.push(...detector.push(chunk));
  events.push(...detector.flush());
  return events;
}

/** Merges adjacent text events, so results can be compared whatever the chunking. */
function segments(events: DetectorEvent[]): Segment[] {
  const out: Segment[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.type === "text") {
      if (event.text === "") throw new Error("empty text event");
      if (last && "text" in last) last.text += event.text;
      else out.push({ text: event.text });
    } else if (event.type === "block") out.push({ block: event.raw });
    else out.push({ unclosed: event.raw });
  }
  return out;
}

const textOf = (events: DetectorEvent[]) =>
  events.map((event) => (event.type === "text" ? event.text : "")).join("");

/** The text between blocks: each maximal run of consecutive text events, joined. */
const textRuns = (events: DetectorEvent[]) =>
  events
    .map((event) => (event.type === "text" ? event.text : "\u0000"))
    .join("")
    .split("\u0000");

const resultOf = (command: ParsedBlock | null) => `<result:${command?.name ?? "?"}>`;

/** Text with each block replaced by `<result:NAME>`; unclosed blocks vanish. */
function render(events: DetectorEvent[]): string {
  return events
    .map((event) =>
      event.type === "text" ? event.text : event.type === "block" ? resultOf(event.command) : "",
    )
    .join("");
}

const anchoredTag = new RegExp(`^${TAG_RE.source}$`, "i");
const COMPLETIONS = ["]", ..."execute".split("").map((_, j) => `${"execute".slice(j)}]`)];
/** Whether `s` is a proper prefix of a tag: some completion makes it one, and it is not one already. */
const couldBecomeTag = (s: string) =>
  s.startsWith("[") && !anchoredTag.test(s) && COMPLETIONS.some((c) => anchoredTag.test(s + c));

/**
 * The specification, applied to a whole input at once (blocks well under the size limit, no backticks):
 * a tag in any case and spacing; a closing tag outside a block vanishes; complete blocks, then either an
 * unclosed block or a held-back tail that is a proper prefix of a tag.
 */
function reference(input: string): { segments: Segment[]; held: string } {
  const out: Segment[] = [];
  const addText = (text: string) => {
    const last = out.at(-1);
    if (text === "") return;
    if (last && "text" in last) last.text += text;
    else out.push({ text });
  };
  const tags = new RegExp(TAG_RE.source, "gi");
  const closes = new RegExp(TAG_RE.source.replace("(\\/)?", "\\/"), "gi");
  let pos = 0;
  for (;;) {
    tags.lastIndex = pos;
    const tag = tags.exec(input);
    if (!tag) {
      const rest = input.slice(pos);
      let held = 0;
      for (let k = Math.min(rest.length, 80); k > 0 && held === 0; k--)
        if (couldBecomeTag(rest.slice(-k))) held = k;
      addText(rest.slice(0, rest.length - held));
      return { segments: out, held: rest.slice(rest.length - held) };
    }
    addText(input.slice(pos, tag.index));
    pos = tag.index + tag[0].length;
    if (tag[1] === "/") continue;
    closes.lastIndex = pos;
    const close = closes.exec(input);
    if (!close) {
      out.push({ unclosed: input.slice(tag.index) });
      return { segments: out, held: "" };
    }
    out.push({ block: input.slice(tag.index, close.index + close[0].length) });
    pos = close.index + close[0].length;
  }
}

/** What a reader sees: blocks replaced by `results` (default: nothing), through the tag guard. */
function visible(events: DetectorEvent[], result: (c: ParsedBlock | null) => string = () => ""): string {
  const guard = new VisibleTextGuard();
  let out = "";
  for (const e of events)
    out += guard.push(e.type === "text" ? e.text : e.type === "block" ? result(e.command) : "");
  return out + guard.flush();
}

const hasTag = (text: string) => new RegExp(TAG_RE.source, "i").test(text);

/** The reference result after flush: the held tail becomes text. */
function referenceFinal(input: string): Segment[] {
  const { segments: out, held } = reference(input);
  const last = out.at(-1);
  if (held !== "") {
    if (last && "text" in last) last.text += held;
    else out.push({ text: held });
  }
  return out;
}

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

const chunksOf = (input: string, size: number) =>
  Array.from({ length: Math.ceil(input.length / size) }, (_, i) => input.slice(i * size, (i + 1) * size));

/** Every two-chunk split and the one-character split must give the one-piece result. */
function expectChunkingInvariant(input: string): void {
  const whole = segments(detect([input]));
  for (let i = 0; i <= input.length; i++) {
    expect(segments(detect([input.slice(0, i), input.slice(i)]))).toEqual(whole);
  }
  expect(segments(detect([...input]))).toEqual(whole);
  expect(segments(detect(input.split("")))).toEqual(whole);
}

describe("parseExecuteBlock", () => {
  it("reads the name, positional arguments and key=value parameters", () => {
    expect(parseExecuteBlock("\n  rag_search \n first arg\n\nQuery = a=b = c \nq=\n  =lonely\n")).toEqual({
      name: "RAG_SEARCH",
      args: ["first arg", "=lonely"],
      params: { query: "a=b = c", q: "" },
      inline: "",
      lines: [" first arg", "", "Query = a=b = c ", "q=", "  =lonely"],
    });
  });

  it("keeps the last value of a repeated key and accepts CRLF", () => {
    expect(parseExecuteBlock("SHOW_GALLERY\r\ngroup_id=1\r\nGROUP_ID=2\r\n")).toEqual({
      name: "SHOW_GALLERY",
      args: [],
      params: { group_id: "2" },
      inline: "",
      lines: ["group_id=1", "GROUP_ID=2"],
    });
  });

  it("stores odd keys as plain own properties", () => {
    const parsed = parseExecuteBlock("X\n__proto__=polluted\nconstructor=c");
    expect(Object.keys(parsed?.params ?? {})).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("returns null without a command name", () => {
    expect(parseExecuteBlock("")).toBeNull();
    expect(parseExecuteBlock(" \n\t\n")).toBeNull();
  });

  it("handles multi-byte text", () => {
    expect(parseExecuteBlock("rag_search\nquery=Привет 👋 мир\n🙂")).toEqual({
      name: "RAG_SEARCH",
      args: ["🙂"],
      params: { query: "Привет 👋 мир" },
      inline: "",
      lines: ["query=Привет 👋 мир", "🙂"],
    });
  });
});

describe("ExecuteDetector", () => {
  const block = (body: string) => `${OPEN_TAG}${body}${CLOSE_TAG}`;

  it("streams text without blocks unchanged and at once", () => {
    const detector = new ExecuteDetector();
    expect(detector.push("Hello, ")).toEqual([{ type: "text", text: "Hello, " }]);
    expect(detector.push("world [1] and ] and [/x]")).toEqual([
      { type: "text", text: "world [1] and ] and [/x]" },
    ]);
    expect(detector.flush()).toEqual([]);
  });

  it("emits one block between texts", () => {
    const input = `Before ${block("\nRAG_SEARCH\nquery=cats\n")} after`;
    const events = detect([input]);
    expect(events).toEqual([
      { type: "text", text: "Before " },
      {
        type: "block",
        raw: block("\nRAG_SEARCH\nquery=cats\n"),
        command: {
          name: "RAG_SEARCH",
          args: [],
          params: { query: "cats" },
          inline: "",
          lines: ["query=cats"],
        },
      },
      { type: "text", text: " after" },
    ]);
    expectChunkingInvariant(input);
  });

  it("handles blocks at the start, at the end and back to back", () => {
    const input = `${block("A")}${block("B\nx")}mid${block("C")}`;
    expect(segments(detect([input]))).toEqual([
      { block: block("A") },
      { block: block("B\nx") },
      { text: "mid" },
      { block: block("C") },
    ]);
    expect(render(detect([input]))).toBe("<result:A><result:B>mid<result:C>");
    expectChunkingInvariant(input);
  });

  it("holds back only a possible opening tag and releases it when it is not one", () => {
    const detector = new ExecuteDetector();
    expect(detector.push("price [")).toEqual([{ type: "text", text: "price " }]);
    expect(detector.push("EXEC")).toEqual([]);
    expect(detector.push("UTION]")).toEqual([{ type: "text", text: "[EXECUTION]" }]);
    expect(detector.push("a [[EXE")).toEqual([{ type: "text", text: "a [" }]);
    expect(detector.flush()).toEqual([{ type: "text", text: "[EXE" }]);
  });

  it.each(["[", "[EXEC", "[EXECUTE", "x [EXECUTE x", "[[[[[[[[[[[[EXECUTE", "[ execute", "[/exe"])(
    "never loses near-tags: %s",
    (input) => {
      expect(textOf(detect([input]))).toBe(input);
      expectChunkingInvariant(input);
    },
  );

  it.each([
    ["[execute]LIST_GALLERIES[/execute]"],
    ["[ EXECUTE ]\nlist_galleries\n[ /EXECUTE ]"],
    ["[Execute]\n**LIST_GALLERIES**\n[ / execute ]"],
    ["[\tEXECUTE\t]`LIST_GALLERIES`[/ EXECUTE]"],
  ])("recognises a tag in any case and spacing: %j", (input) => {
    const events = detect([`a ${input} b`]);
    expect(segments(events)).toEqual([{ text: "a " }, { block: input }, { text: " b" }]);
    expect(events[1]).toMatchObject({ command: { name: "LIST_GALLERIES" } });
    expectChunkingInvariant(`a ${input} b`);
  });

  it("removes a closing tag outside any block, keeping the text around it", () => {
    expect(textOf(detect(["a [/EXECUTE] b [ / execute ] c"]))).toBe("a  b  c");
    expectChunkingInvariant("a [/EXECUTE] b [ / execute ] c");
  });

  it("reads a block on one line with its arguments after the name (the seed's example)", () => {
    const events = detect([
      "Смотрите: [EXECUTE] SHOW_GALLERY group_id=abc [/EXECUTE] и ещё [EXECUTE] RAG_SEARCH query=доставка по Москве q2=x [/EXECUTE]",
    ]);
    const blocks = events.filter((e) => e.type === "block");
    expect(blocks[0]).toMatchObject({ command: { name: "SHOW_GALLERY", params: { group_id: "abc" } } });
    expect(blocks[1]).toMatchObject({
      command: { name: "RAG_SEARCH", params: { query: "доставка по Москве", q2: "x" } },
    });
  });

  it.each([
    ["Here:\n```\n[EXECUTE]\nLIST_GALLERIES\n[/EXECUTE]\n```\nmore", "Here:\n<result:LIST_GALLERIES>\nmore"],
    [
      "Here:\n```text\n[EXECUTE]\nA\n[/EXECUTE]\n\n[EXECUTE]\nB\n[/EXECUTE]\n```\nmore",
      "Here:\n<result:A><result:B>\nmore",
    ],
    ["Use `[EXECUTE] LIST_GALLERIES [/EXECUTE]` now", "Use <result:LIST_GALLERIES> now"],
    ["```\n[execute]\nX\n[/execute]\n```", "<result:X>"],
    ["Code:\n```js\nconsole.log(`[1]`)\n```\nok", "Code:\n```js\nconsole.log(`[1]`)\n```\nok"],
    ["End:\n```\n[EXECUTE]\nA\n[/EXECUTE]\n``", "End:\n<result:A>"],
    ["`[EXECUTE]A[/EXECUTE]\nnext`", "<result:A>\nnext`"],
  ])("takes a Markdown fence with the block it wraps: %j", (input, rendered) => {
    expect(render(detect([input]))).toBe(rendered);
    expectChunkingInvariant(input);
  });

  it("lets the first closing tag end a block that contains an opening tag", () => {
    const input = `a${OPEN_TAG}X\n${OPEN_TAG}\nY${CLOSE_TAG}b${CLOSE_TAG}c`;
    const events = detect([input]);
    expect(segments(events)).toEqual([
      { text: "a" },
      { block: `${OPEN_TAG}X\n${OPEN_TAG}\nY${CLOSE_TAG}` },
      { text: "bc" },
    ]);
    expect(events[1]).toMatchObject({ command: { name: "X", args: [OPEN_TAG, "Y"] } });
    expectChunkingInvariant(input);
  });

  it("drops an unclosed block at the end and reports it", () => {
    const input = `text ${OPEN_TAG}\nRAG_SEARCH\nquery=x [/EXEC`;
    const events = detect([input]);
    expect(events).toEqual([
      { type: "text", text: "text " },
      { type: "unclosed", raw: `${OPEN_TAG}\nRAG_SEARCH\nquery=x [/EXEC` },
    ]);
    expectChunkingInvariant(input);
  });

  it("reports an empty block with a null command", () => {
    expect(detect([block(" \n ")])).toEqual([{ type: "block", raw: block(" \n "), command: null }]);
  });

  it("handles Cyrillic and emoji around and inside blocks", () => {
    const input = `Привет 👋🏽! ${block("\nrag_search\nзапрос=кошки 🐈\n")} Пока 🎉`;
    const events = detect([input]);
    expect(segments(events)).toEqual([
      { text: "Привет 👋🏽! " },
      { block: block("\nrag_search\nзапрос=кошки 🐈\n") },
      { text: " Пока 🎉" },
    ]);
    expect(events[1]).toMatchObject({ command: { name: "RAG_SEARCH", params: { запрос: "кошки 🐈" } } });
    expectChunkingInvariant(input);
  });

  it("works on a UTF-8 byte stream split at every byte", () => {
    const input = `Ёж 🦔 ${block("SHOW_GALLERY\ngroup_id=7\nподпись 📷")} конец`;
    const bytes = new TextEncoder().encode(input);
    const whole = render(detect([input]));
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= Math.min(bytes.length, i + 5); j++) {
        const decoder = new TextDecoder();
        const chunks = [
          decoder.decode(bytes.subarray(0, i), { stream: true }),
          decoder.decode(bytes.subarray(i, j), { stream: true }),
          decoder.decode(bytes.subarray(j), { stream: true }),
          decoder.decode(),
        ];
        expect(render(detect(chunks))).toBe(whole);
      }
    }
    expect(whole).toBe("Ёж 🦔 <result:SHOW_GALLERY> конец");
  });

  describe(`size guard (${MAX_BLOCK_BODY} code units)`, () => {
    const sizes = [1, 7, 64, 4096, Number.MAX_SAFE_INTEGER];

    it("accepts a body of exactly the limit", () => {
      const body = `X\n${"a".repeat(MAX_BLOCK_BODY - 2)}`;
      for (const size of sizes) {
        expect(segments(detect(chunksOf(`<${block(body)}>`, size)))).toEqual([
          { text: "<" },
          { block: block(body) },
          { text: ">" },
        ]);
      }
    });

    it("drops a longer body, discards it up to its closing tag, then streams on", () => {
      const body = `X\n${"[/EXECUTE".repeat(MAX_BLOCK_BODY / 8)}`;
      for (const size of sizes) {
        const events = detect(chunksOf(`<${block(body)}>`, size));
        expect(textOf(events)).toBe("<>");
        expect(events.filter((event) => event.type === "block")).toEqual([]);
        const unclosed = events.filter((event) => event.type === "unclosed");
        expect(unclosed).toHaveLength(1);
        expect(unclosed[0]?.raw.startsWith(`${OPEN_TAG}X\n`)).toBe(true);
      }
    });

    it("reports an oversized block without a closing tag once and emits nothing after it", () => {
      for (const size of sizes) {
        const events = detect(chunksOf(`a${OPEN_TAG}${"b".repeat(MAX_BLOCK_BODY * 2)}`, size));
        expect(events.filter((event) => event.type === "unclosed")).toHaveLength(1);
        expect(textOf(events)).toBe("a");
      }
    });
  });

  it("processes 1 MB quickly, with and without blocks", async () => {
    const plain = "Lorem ipsum [dolor] sit amet, Привет 👋 [EXEC-not-a-tag] "
      .repeat(20_000)
      .slice(0, 1 << 20);
    const section = `${"x".repeat(3000)} [ ${block("\nRAG_SEARCH\nquery=q\n")}`;
    const withBlocks = section.repeat(Math.ceil((1 << 20) / section.length));
    for (const input of [plain, withBlocks]) {
      const chunks = chunksOf(input, 64);
      const started = performance.now();
      const events = detect(chunks);
      // The Workers clock only moves on I/O; let it tick before reading it again.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(2000);
      expect(render(events).length).toBeGreaterThan(0);
      expect(segments(events)).toEqual(referenceFinal(input));
    }
  });
});

describe("text around a block stays apart", () => {
  it("releases a fragment before a block and the text after it as separate runs", () => {
    const events = detect(["[EXECUTE[EXECUTE]RAG_SEARCH[/EXECUTE]]"]);
    expect(events.map((e) => e.type)).toEqual(["text", "block", "text"]);
    expect(textRuns(events)).toEqual(["[EXECUTE", "]"]);
  });
});

describe("ExecuteDetector properties", () => {
  const tagChars = fc.constantFrom(..."[]/EXCUTexcut\n =аё😀");
  const blockName = fc.constantFrom("RAG_SEARCH", "list_galleries", "Show_Gallery", "", "[EXECUTE]");
  const bodyLine = fc
    .oneof(fc.string({ unit: tagChars }), fc.string({ unit: "grapheme" }), fc.constantFrom("q=a=b", "[/EXEC"))
    .filter((line) => !line.includes(CLOSE_TAG));
  const wellFormedBlock = fc
    .tuple(blockName, fc.array(bodyLine, { maxLength: 4 }), fc.boolean())
    .map(([name, lines, newlines]) =>
      newlines
        ? `${OPEN_TAG}\n${[name, ...lines].join("\n")}\n${CLOSE_TAG}`
        : `${OPEN_TAG}${name}${CLOSE_TAG}`,
    );
  const anyText = fc.oneof(
    fc.string({ unit: tagChars }),
    fc.string({ unit: "grapheme" }),
    fc.string().map((t) => t.replaceAll("`", "'")),
    fc.constantFrom(
      "[",
      "[EXEC",
      "[EXECUTE",
      "[/EXECUTE]",
      "[[EXECUTE",
      "[ execute ]",
      "[/ Execute]",
      OPEN_TAG,
      CLOSE_TAG,
    ),
  );
  const input = fc.array(fc.oneof(anyText, wellFormedBlock), { maxLength: 8 }).map((parts) => parts.join(""));
  const cuts = fc.array(fc.nat(), { maxLength: 12 });

  it("matches the one-piece specification for any chunking, and holds back nothing more", () => {
    fc.assert(
      fc.property(input, cuts, (text, points) => {
        const expected = referenceFinal(text);
        for (const chunks of [splitAt(text, points), [...text], [text]]) {
          const detector = new ExecuteDetector();
          const events: DetectorEvent[] = [];
          let consumed = "";
          for (const chunk of chunks) {
            events.push(...detector.push(chunk));
            consumed += chunk;
            // Text is released as soon as it cannot be the start of a tag.
            const sofar = reference(consumed).segments.filter((segment) => !("unclosed" in segment));
            expect(segments(events)).toEqual(sofar);
          }
          events.push(...detector.flush());
          expect(segments(events)).toEqual(expected);
          // What a reader sees holds no tag, whether blocks vanish or are replaced.
          expect(hasTag(visible(events))).toBe(false);
          expect(hasTag(visible(events, (c) => `<${c?.name ?? "?"}>`))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("removes exactly the generated blocks from text that cannot form tags", () => {
    const plainText = fc.string({ unit: fc.constantFrom(..."[/EXCUTexcut\n =аё😀") });
    const parts = fc.array(fc.tuple(plainText, wellFormedBlock), { maxLength: 6 });
    fc.assert(
      fc.property(parts, plainText, cuts, (pairs, tail, points) => {
        const text = pairs.map(([before, raw]) => before + raw).join("") + tail;
        const expectedText = pairs.map(([before]) => before).join("") + tail;
        const events = detect(splitAt(text, points));
        expect(textOf(events)).toBe(expectedText);
        expect(hasTag(visible(events))).toBe(false);
        expect(events.filter((event) => event.type === "block").map((event) => event.raw)).toEqual(
          pairs.map(([, raw]) => raw),
        );
        expect(render(events)).toBe(render(detect([text])));
      }),
      { numRuns: 300 },
    );
  });
});

describe("createExecuteTransform", () => {
  async function pipe(chunks: string[], transform: TransformStream<string, string>): Promise<string[]> {
    const source = new ReadableStream<string>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const out: string[] = [];
    const reader = source.pipeThrough(transform).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out.push(value);
    }
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("replaces blocks in order with the awaited results and reports unclosed blocks", async () => {
    const names: string[] = [];
    const unclosed: string[] = [];
    const transform = createExecuteTransform(
      async (command) => {
        await sleep(command?.name === "SLOW" ? 20 : 0);
        return resultOf(command);
      },
      {
        onBlock: (command, _raw, replacement) => names.push(`${command?.name}=${replacement}`),
        onUnclosed: (raw) => unclosed.push(raw),
      },
    );
    const text = `a${OPEN_TAG}SLOW${CLOSE_TAG}b${OPEN_TAG}FAST${CLOSE_TAG}c${OPEN_TAG}LOST`;
    const out = await pipe(chunksOf(text, 3), transform);
    expect(out.join("")).toBe("a<result:SLOW>b<result:FAST>c");
    expect(names).toEqual(["SLOW=<result:SLOW>", "FAST=<result:FAST>"]);
    expect(unclosed).toEqual([`${OPEN_TAG}LOST`]);
  });

  it("streams text before a block without waiting for it", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transform = createExecuteTransform(async () => {
      await gate;
      return "!";
    });
    const writer = transform.writable.getWriter();
    const reader = transform.readable.getReader();
    void writer.write(`hello ${OPEN_TAG}X${CLOSE_TAG} bye`);
    expect(await reader.read()).toEqual({ done: false, value: "hello " });
    release();
    expect(await reader.read()).toEqual({ done: false, value: "!" });
    expect(await reader.read()).toEqual({ done: false, value: " bye" });
    void writer.close();
    expect((await reader.read()).done).toBe(true);
  });

  it("matches the synchronous result for random inputs, chunkings and delays", async () => {
    const names = fc.array(fc.constantFrom("A", "B", "C"), { maxLength: 5 });
    const filler = fc.string({ unit: fc.constantFrom(..."ab [/EXC]ё😀") });
    await fc.assert(
      fc.asyncProperty(names, filler, fc.array(fc.nat(), { maxLength: 10 }), async (list, gap, points) => {
        const text = list.map((name) => `${gap}${OPEN_TAG}\n${name}\n${CLOSE_TAG}`).join("") + gap;
        const transform = createExecuteTransform(async (command) => {
          await sleep(Math.floor(Math.random() * 3));
          return resultOf(command);
        });
        const out = await pipe(splitAt(text, points), transform);
        expect(out.join("")).toBe(render(detect([text])));
        expect(out.join("")).toBe(list.map((name) => `${gap}<result:${name}>`).join("") + gap);
      }),
      { numRuns: 40 },
    );
  });
});
