import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DiffPart, diffWords, MAX_DIFF_CELLS, tokenize } from "../../web/shared/diff.ts";

const side = (parts: DiffPart[], skip: DiffPart["op"]) =>
  parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join("");

describe("word diff", () => {
  it("tokenizes words (any script), whitespace and punctuation, losing nothing", () => {
    expect(tokenize("Часы: 9–18,\n  daily!")).toEqual([
      "Часы",
      ":",
      " ",
      "9",
      "–",
      "18",
      ",",
      "\n  ",
      "daily",
      "!",
    ]);
    expect(tokenize("")).toEqual([]);
  });

  it("gives one equal part for equal texts and nothing for two empty ones", () => {
    expect(diffWords("Same text.", "Same text.")).toEqual([{ op: "equal", text: "Same text." }]);
    expect(diffWords("", "")).toEqual([]);
  });

  it("shows a whole text as inserted or deleted when the other side is empty", () => {
    expect(diffWords("", "New chunk")).toEqual([{ op: "insert", text: "New chunk" }]);
    expect(diffWords("Old chunk", "")).toEqual([{ op: "delete", text: "Old chunk" }]);
  });

  it("marks a changed word as one deletion and one insertion inside unchanged text", () => {
    expect(diffWords("We open at 9 every day.", "We open at 10 every day.")).toEqual([
      { op: "equal", text: "We open at " },
      { op: "delete", text: "9" },
      { op: "insert", text: "10" },
      { op: "equal", text: " every day." },
    ]);
  });

  it("keeps a replaced phrase together instead of word / space / word", () => {
    expect(diffWords("Price: ten euros.", "Price: twelve dollars.")).toEqual([
      { op: "equal", text: "Price: " },
      { op: "delete", text: "ten euros" },
      { op: "insert", text: "twelve dollars" },
      { op: "equal", text: "." },
    ]);
  });

  it("finds added lines in multi-line text, keeping the line breaks", () => {
    const before = "Hours:\nMon-Fri 9-18\nSat closed";
    const after = "Hours:\nMon-Fri 9-18\nSat 10-14\nSun closed";
    expect(diffWords(before, after)).toEqual([
      { op: "equal", text: "Hours:\nMon-Fri 9-18\nSat " },
      { op: "insert", text: "10-14\nSun " },
      { op: "equal", text: "closed" },
    ]);
  });

  it("rebuilds both texts exactly from any diff, with no empty or doubled-up parts", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "cd", " ", "\n", ".", "ё", "😀", "word"), { maxLength: 30 })
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const parts = diffWords(before, after);
        expect(side(parts, "insert")).toBe(before);
        expect(side(parts, "delete")).toBe(after);
        for (const [k, part] of parts.entries()) {
          expect(part.text).not.toBe("");
          const next = parts[k + 1];
          if (next) expect(next.op === part.op).toBe(false);
        }
        if (before === after && before) expect(parts).toEqual([{ op: "equal", text: before }]);
      }),
      { numRuns: 300 },
    );
  });

  it("finds the minimal change: unchanged words are never reported as changed", () => {
    const words = (s: string) => s.split(" ");
    const before = words("a b c d e f g h");
    const after = words("a x c d y f g h z");
    const parts = diffWords(before.join(" "), after.join(" "));
    expect(parts.filter((p) => p.op === "delete").map((p) => p.text)).toEqual(["b", "e"]);
    expect(parts.filter((p) => p.op === "insert").map((p) => p.text)).toEqual(["x", "y", " z"]);
  });

  it("stays fast on the largest chunks and bounds the work on huge inputs", () => {
    const big = (seed: number) => Array.from({ length: 700 }, (_, i) => `w${(i * seed) % 97}`).join(" ");
    const started = Date.now();
    const parts = diffWords(big(3), big(5));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(side(parts, "insert")).toBe(big(3));
    expect(side(parts, "delete")).toBe(big(5));

    const huge = (c: string) => Array.from({ length: 2100 }, (_, i) => `${c}${i}`).join(" ");
    expect(2100 * 2 * 2100 * 2).toBeGreaterThan(MAX_DIFF_CELLS);
    const coarse = diffWords(`start ${huge("a")}`, `start ${huge("b")}`);
    expect(coarse.map((p) => p.op)).toEqual(["equal", "delete", "insert"]);
  });
});
