import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SseEvent, SseParser } from "../../src/llm/sse-parser.ts";

function parseChunks(chunks: string[]): SseEvent[] {
  const parser = new SseParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.flush()];
}

/** Parses `text` whole, then split at every index into two chunks and into single characters. */
function expectEverySplit(text: string, expected: SseEvent[]): void {
  expect(parseChunks([text])).toEqual(expected);
  for (let i = 0; i <= text.length; i++) {
    expect(parseChunks([text.slice(0, i), text.slice(i)]), `split at ${i}`).toEqual(expected);
  }
  expect(parseChunks([...text])).toEqual(expected);
}

const EXAMPLES: Array<[string, string, SseEvent[]]> = [
  ["one data line", "data: hello\n\n", [{ event: "message", data: "hello" }]],
  ["multi-line data", "data: a\ndata: b\ndata:\n\n", [{ event: "message", data: "a\nb\n" }]],
  ["CRLF endings", 'event: token\r\ndata: {"text":"x"}\r\n\r\n', [{ event: "token", data: '{"text":"x"}' }]],
  [
    "CR endings",
    "data: a\rdata: b\r\rdata: c\r\r",
    [
      { event: "message", data: "a\nb" },
      { event: "message", data: "c" },
    ],
  ],
  [
    "mixed endings",
    "data: 1\r\n\ndata: 2\n\r\ndata: 3\r\r",
    [
      { event: "message", data: "1" },
      { event: "message", data: "2" },
      { event: "message", data: "3" },
    ],
  ],
  ["comments ignored", ": keep-alive\n\ndata: x\n: ping\n\n:\n\n", [{ event: "message", data: "x" }]],
  ["only one space stripped", "data:  two\ndata:none\n\n", [{ event: "message", data: " two\nnone" }]],
  ["colon inside value", "data: a: b\n\n", [{ event: "message", data: "a: b" }]],
  ["field without colon", "data\n\n", [{ event: "message", data: "" }]],
  ["no data, no event", "event: meta\n\nid: 1\n\n", []],
  [
    "id persists",
    "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
    [
      { event: "message", data: "a", id: "7" },
      { event: "message", data: "b", id: "7" },
      { event: "message", data: "c" },
    ],
  ],
  ["unknown fields and retry ignored", "retry: 10\nfoo: bar\ndata: x\n\n", [{ event: "message", data: "x" }]],
  ["BOM skipped", "\uFEFFdata: x\n\n", [{ event: "message", data: "x" }]],
  ["unicode", "data: привет 👋\n\n", [{ event: "message", data: "привет 👋" }]],
  ["unterminated event at the end", "data: [DONE]", [{ event: "message", data: "[DONE]" }]],
  [
    "event type resets",
    "event: meta\ndata: 1\n\ndata: 2\n\n",
    [
      { event: "meta", data: "1" },
      { event: "message", data: "2" },
    ],
  ],
];

describe("SseParser", () => {
  it.each(EXAMPLES)("%s, split at every index", (_name, text, expected) => {
    expectEverySplit(text, expected);
  });

  it("hands events out as soon as they complete", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\n")).toEqual([]);
    expect(parser.push("\ndata: b\r")).toEqual([{ event: "message", data: "a" }]);
    expect(parser.push("\n")).toEqual([]);
    expect(parser.push("")).toEqual([]);
    expect(parser.push("\r\n")).toEqual([{ event: "message", data: "b" }]);
    expect(parser.flush()).toEqual([]);
  });

  it("counts a CRLF split between chunks once", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("")).toEqual([]);
    expect(parser.push("\n")).toEqual([]);
    expect(parser.push("data: b\n\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });

  it("round-trips any events, any line endings, any chunking", () => {
    const line = fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const eventArb = fc.record({
      event: fc.option(
        line.filter((s) => s !== "" && !s.startsWith(" ")),
        { nil: undefined },
      ),
      id: fc.option(
        line.filter((s) => s !== "" && !s.includes("\0")),
        { nil: undefined },
      ),
      data: fc.array(line, { minLength: 1, maxLength: 4 }),
      comment: fc.option(line, { nil: undefined }),
    });
    const newline = fc.constantFrom("\n", "\r", "\r\n");
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 6 }),
        fc.infiniteStream(newline),
        fc.array(fc.nat(), { maxLength: 8 }),
        (events, endings, cuts) => {
          let previous = "";
          const nl = () => {
            // "\r" then "\n" would read as one CRLF line end, not two: keep such pairs apart.
            const next = endings.next().value as string;
            previous = previous === "\r" && next.startsWith("\n") ? "\r" : next;
            return previous;
          };
          let text = "";
          let lastId: string | undefined;
          const expected: SseEvent[] = [];
          for (const e of events) {
            if (e.comment !== undefined) text += `:${e.comment}${nl()}`;
            if (e.event !== undefined) text += `event: ${e.event}${nl()}`;
            if (e.id !== undefined) text += `id: ${e.id}${nl()}`;
            for (const d of e.data) text += `data: ${d}${nl()}`;
            text += nl();
            lastId = e.id ?? lastId;
            const out: SseEvent = { event: e.event ?? "message", data: e.data.join("\n") };
            if (lastId !== undefined) out.id = lastId;
            expected.push(out);
          }
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const p of points) {
            chunks.push(text.slice(from, p));
            from = p;
          }
          chunks.push(text.slice(from));
          expect(parseChunks(chunks)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
