import { describe, expect, it } from "vitest";
import { compareDraft, EMPTY_PROMPT, type PromptState } from "../../src/services/prompt/prompt-state.ts";

const chunk = (id: string, position: number, text = `text ${id}`) => ({
  id,
  position,
  question: `q ${id}`,
  text,
});
const state = (chunks: PromptState["chunks"], extra: Partial<PromptState> = {}): PromptState => ({
  ...EMPTY_PROMPT,
  chunks,
  ...extra,
});

describe("compareDraft", () => {
  it("always has changes when nothing was published, even for an empty draft", () => {
    expect(compareDraft(null, EMPTY_PROMPT).has_changes).toBe(true);
  });

  it("has none for an identical draft, and a diff of only kept lines", () => {
    const s = state([chunk("a", 0), chunk("b", 1)]);
    const c = compareDraft(s, structuredClone(s));
    expect(c.has_changes).toBe(false);
    expect(c.diff.every((l) => l.op === "same")).toBe(true);
  });

  it("counts a move once per chunk out of place, not for chunks an insertion shifted", () => {
    const live = state([chunk("a", 0), chunk("b", 1), chunk("c", 2)]);
    const inserted = state([chunk("n", 0), chunk("a", 1), chunk("b", 2), chunk("c", 3)]);
    expect(compareDraft(live, inserted).changes).toMatchObject({ chunks_added: 1, chunks_moved: 0 });
    const swapped = state([chunk("b", 0), chunk("a", 1), chunk("c", 2)]);
    expect(compareDraft(live, swapped).changes).toMatchObject({ chunks_moved: 2, chunks_changed: 0 });
    const edited = state([chunk("a", 0), chunk("b", 1, "new"), chunk("c", 2)]);
    expect(compareDraft(live, edited).changes).toMatchObject({ chunks_changed: 1, chunks_moved: 0 });
  });

  it("notices the base prompt, the welcome text and the starters", () => {
    const live = state([], { welcomeText: "Hi", starters: ["A?"] });
    const draft = state([], { basePrompt: "Be brief.", welcomeText: null, starters: ["B?"] });
    expect(compareDraft(live, draft).changes).toMatchObject({
      base_prompt: true,
      welcome_text: true,
      starters: true,
    });
    expect(compareDraft(live, draft).diff).toContainEqual({ op: "added", text: "Be brief." });
  });
});
