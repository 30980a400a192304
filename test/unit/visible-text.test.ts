import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExecuteDetector } from "../../src/chat/execute-detector.ts";
import { TAG_RE, visibleResult } from "../../src/chat/execute-tags.ts";
import { VisibleTextGuard } from "../../src/chat/visible-text.ts";

const hasTag = (s: string) => new RegExp(TAG_RE.source, "i").test(s);

function guarded(pieces: string[]): string {
  const guard = new VisibleTextGuard();
  return pieces.map((p) => guard.push(p)).join("") + guard.flush();
}

describe("VisibleTextGuard", () => {
  it("passes ordinary text at once", () => {
    const guard = new VisibleTextGuard();
    expect(guard.push("Цена [1] и [см. выше] ")).toBe("Цена [1] и [см. выше] ");
    expect(guard.flush()).toBe("");
  });

  it("cuts a tag that text on both sides of a vanished block spells, from the newer side", () => {
    expect(guarded(["a [EXEC", "", "UTE] b"])).toBe("a  b");
    const guard = new VisibleTextGuard();
    expect(guard.push("x [ / exec")).toBe("x ");
    expect(guard.push("ute ] y")).toBe(" y");
  });

  it("removes a tag quoted inside a command result", () => {
    expect(guarded(["Found: ", "«[EXECUTE]» nothing", "."])).toBe("Found: «» nothing.");
    expect(visibleResult("a [execute] b [/EXECUTE] c [EXEC")).toBe("a  b  c ");
  });

  it("never lets a tag through, however the pieces fall", () => {
    const unit = fc.constantFrom(..."[]/ EXECUTEexecute ab\n");
    fc.assert(
      fc.property(fc.array(fc.string({ unit }), { maxLength: 12 }), (pieces) => {
        expect(hasTag(guarded(pieces))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("fenced blocks", () => {
  const fence = fc.constantFrom("```\n", "```text\n", "```markdown\n", "`", "");
  const tag = fc.constantFrom("[EXECUTE]", "[execute]", "[ EXECUTE ]", "[Execute]");
  const close = fc.constantFrom("[/EXECUTE]", "[/execute]", "[ /EXECUTE ]", "[ / Execute ]");
  const prose = fc.constantFrom("Вот: ", "Here you go:\n", "", "Смотрите ниже.\n", "`код` и ");
  const block = fc
    .tuple(
      prose,
      fence,
      tag,
      fc.constantFrom("LIST_GALLERIES", "rag_search query=a b", "**SHOW_GALLERY**"),
      close,
    )
    .map(([p, f, t, body, c]) => {
      const end = f === "" ? "" : f === "`" ? "`" : "\n```";
      return { text: `${p}${f}${t}\n${body}\n${c}${end}`, prose: p };
    });

  it("takes the fence with the block: the visible text is the prose and the results, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (blocks, cuts) => {
          const input = `${blocks.map((b) => b.text).join("\n")}\nEnd.`;
          const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const p of [...points, input.length]) {
            chunks.push(input.slice(from, p));
            from = p;
          }
          const detector = new ExecuteDetector();
          const events = [...chunks.flatMap((c) => detector.push(c)), ...detector.flush()];
          const shown = events
            .map((e) => (e.type === "text" ? e.text : e.type === "block" ? "<R>" : ""))
            .join("");
          expect(events.filter((e) => e.type === "block")).toHaveLength(blocks.length);
          expect(hasTag(shown)).toBe(false);
          expect(shown).not.toMatch(/```\s*<R>|<R>\s*```/);
          expect(shown.endsWith("\nEnd.")).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
