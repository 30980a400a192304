import { setStarters, startersProblem, trimStarters } from "../services/embed/starters.ts";
import { say } from "./texts.ts";
import { type Command, failed } from "./types.ts";

/** List marks a model puts before lines: `- `, `* `, `• `, `1. `, `2) `, and quotes around a question. */
const MARK = /^\s*(?:[-*•–]|\d{1,2}[.)])\s+/;
const QUOTES = /^["'«“](.*)["'»”]$/s;

/** The questions of a block: one per line (the same-line rest first), marks and quotes dropped. */
export function readStarters(inline: string, lines: readonly string[]): string[] {
  const all = [inline, ...lines]
    .map((line) => line.replace(MARK, "").trim())
    .map((line) => QUOTES.exec(line)?.[1]?.trim() ?? line)
    .filter((line) => line !== "");
  // A repeat is dropped rather than refused: the model meant the list, not the repeat.
  const seen = new Set<string>();
  return trimStarters(all).filter((q) => {
    const key = q.toLocaleLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * SET_STARTERS — one question per line: the setup assistant replaces the starter questions visitors see
 * as chips before their first message; an empty block removes them. Nothing is written unless all of it
 * fits (up to 6 questions, each at most 80 characters).
 */
export const setStartersCommand: Command = {
  name: "SET_STARTERS",
  channels: ["admin"],
  async run(ctx, block) {
    const starters = readStarters(block.inline, block.lines);
    const problem = startersProblem(starters);
    if (problem?.kind === "too_many")
      return failed(say(ctx.locale, "tooManyStarters", { max: problem.max, count: starters.length }));
    if (problem?.kind === "too_long")
      return failed(say(ctx.locale, "starterTooLong", { max: problem.max, question: problem.text }));
    if (problem) return failed(say(ctx.locale, "commandFailed", { command: "SET_STARTERS" }));
    const saved = await setStarters(ctx.db(), ctx.tenantId, starters);
    await ctx.chunksChanged();
    if (saved.length === 0) return { ok: true, text: say(ctx.locale, "startersCleared"), data: { starters } };
    const list = saved.map((q) => `• ${q}`).join("\n");
    return {
      ok: true,
      text: `${say(ctx.locale, "startersSet", { count: saved.length })}\n${list}`,
      data: { starters },
    };
  },
};
