import { describe, expect, it } from "vitest";
import { type DiffLine, diffLines } from "../../src/lib/line-diff.ts";

/** Applying a diff must give back both texts: the removed+same lines are the old, added+same the new. */
function sides(lines: DiffLine[]): { before: string; after: string } {
  return {
    before: lines
      .filter((l) => l.op !== "added")
      .map((l) => l.text)
      .join("\n"),
    after: lines
      .filter((l) => l.op !== "removed")
      .map((l) => l.text)
      .join("\n"),
  };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("diffLines", () => {
  it("marks an inserted, a removed and a changed line", () => {
    const { lines, exact } = diffLines("a\nb\nc\nd", "a\nx\nc\nd\ne");
    expect(exact).toBe(true);
    expect(lines).toEqual([
      { op: "same", text: "a" },
      { op: "removed", text: "b" },
      { op: "added", text: "x" },
      { op: "same", text: "c" },
      { op: "same", text: "d" },
      { op: "added", text: "e" },
    ]);
  });

  it("handles empty sides", () => {
    expect(diffLines("", "").lines).toEqual([]);
    expect(diffLines("", "a\nb").lines).toEqual([
      { op: "added", text: "a" },
      { op: "added", text: "b" },
    ]);
    expect(diffLines("a", "").lines).toEqual([{ op: "removed", text: "a" }]);
  });

  it("is minimal on random edits and always reproduces both texts", () => {
    const rand = seeded(7);
    for (let round = 0; round < 300; round++) {
      const words = ["x", "y", "z", "w"];
      const a = Array.from({ length: Math.floor(rand() * 12) }, () => words[Math.floor(rand() * 4)]);
      const b = Array.from({ length: Math.floor(rand() * 12) }, () => words[Math.floor(rand() * 4)]);
      const before = a.join("\n");
      const after = b.join("\n");
      const { lines, exact } = diffLines(before, after);
      expect(exact).toBe(true);
      const got = sides(lines);
      // "".split gives [] here while [""] joins to "": compare the line lists.
      expect(got.before).toBe(before);
      expect(got.after).toBe(after);
      // Minimal: the kept lines are a longest common subsequence.
      const kept = lines.filter((l) => l.op === "same").length;
      expect(kept).toBe(lcs(a as string[], b as string[]));
    }
  });

  it("falls back to remove-all/add-all past the edit cap, still correct", () => {
    const before = Array.from({ length: 50 }, (_, i) => `old ${i}`).join("\n");
    const after = Array.from({ length: 50 }, (_, i) => `new ${i}`).join("\n");
    const { lines, exact } = diffLines(`same\n${before}\nend`, `same\n${after}\nend`, 10);
    expect(exact).toBe(false);
    expect(lines[0]).toEqual({ op: "same", text: "same" });
    expect(lines.at(-1)).toEqual({ op: "same", text: "end" });
    expect(sides(lines)).toEqual({ before: `same\n${before}\nend`, after: `same\n${after}\nend` });
  });
});

function lcs(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++)
      row[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, row[j - 1] ?? 0);
    prev = row;
  }
  return prev[b.length] ?? 0;
}
