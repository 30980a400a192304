/**
 * The line diff of the assembled prompts, published -> draft (`GET …/me/prompt`'s `diff`): added lines
 * as `ins`, removed as `del`, each a block; unchanged runs longer than a few lines fold into one line so
 * the changes show without scrolling through the whole prompt. Prompt text goes in as text only.
 */
import type { SchemaPromptDraft } from "../../shared/api-types.gen.ts";
import { h } from "../../shared/dom.ts";
import { pt } from "../publish-texts.ts";

type Lines = SchemaPromptDraft["diff"];

/** Unchanged lines kept around each change; longer unchanged runs fold into one "… n lines" line. */
const CONTEXT = 2;

function diffLines(lines: Lines): HTMLElement[] {
  const out: HTMLElement[] = [];
  const line = (l: Lines[number]) =>
    l.op === "same"
      ? h("span", { class: "diff-line" }, l.text)
      : h(
          l.op === "added" ? "ins" : "del",
          {
            class: `diff-line diff-${l.op}`,
            "data-op": l.op,
            title: pt(l.op === "added" ? "diffAdded" : "diffRemoved"),
          },
          l.text,
        );
  for (let i = 0; i < lines.length; ) {
    let end = i;
    while (end < lines.length && lines[end]?.op === "same") end += 1;
    const run = lines.slice(i, end);
    const keepHead = i === 0 ? 0 : CONTEXT;
    const keepTail = end === lines.length ? 0 : CONTEXT;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead).map(line));
      out.push(
        h(
          "span",
          { class: "diff-line diff-skip" },
          pt("diffSkipped", { n: run.length - keepHead - keepTail }),
        ),
      );
      out.push(...run.slice(run.length - keepTail).map(line));
    } else out.push(...run.map(line));
    if (end < lines.length) {
      const change = lines[end];
      if (change) out.push(line(change));
      end += 1;
    }
    i = end;
  }
  return out;
}

/** The line diff: added lines as `ins`, removed as `del`, long unchanged runs folded. */
export function diffBlock(d: Pick<SchemaPromptDraft, "diff" | "diff_exact">): HTMLElement {
  const changed = d.diff.some((l) => l.op !== "same");
  return h(
    "div",
    { class: "prompt-diff-wrap" },
    h("h4", null, pt("diffTitle")),
    changed ? null : h("p", { class: "muted" }, pt("diffSame")),
    d.diff_exact ? null : h("p", { class: "muted small" }, pt("diffApprox")),
    changed ? h("pre", { class: "prompt-diff", tabindex: 0 }, diffLines(d.diff)) : null,
  );
}
