import { describe, expect, it } from "vitest";
import { USER_CHAT_PROMPT } from "../../src/prompts/user-chat-prompt.ts";
import { assembleUserPrompt } from "../../src/services/prompt/prompt-assembly.ts";

const chunk = (position: number, question: string, text: string) => ({
  id: `c${position}`,
  position,
  question,
  text,
});

describe("assembleUserPrompt", () => {
  it("puts the chunks after the base prompt in position order, whatever order they come in", () => {
    const prompt = assembleUserPrompt("Base.", [chunk(2, "Second", "two"), chunk(1, "First", "one")]);
    expect(prompt.startsWith("Base.")).toBe(true);
    expect(prompt.indexOf("### First\none")).toBeGreaterThan(0);
    expect(prompt.indexOf("### First")).toBeLessThan(prompt.indexOf("### Second\ntwo"));
  });

  it("falls back to the default prompt when the base is empty", () => {
    expect(assembleUserPrompt("", []).startsWith(USER_CHAT_PROMPT.trim())).toBe(true);
    expect(assembleUserPrompt("  ", [chunk(1, "Q", "T")]).startsWith(USER_CHAT_PROMPT.trim())).toBe(true);
  });
});
