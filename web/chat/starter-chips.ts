/**
 * The tenant's starter questions as chips under the greeting of an empty conversation: a click sends the
 * question as the visitor's own message (the chips go away with the first message, whoever wrote it).
 */
import { h } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";

/** The chips for `starters` (null when there are none); `onPick` gets the question clicked. */
export function starterChips(
  starters: readonly string[] | undefined,
  onPick: (question: string) => void,
): HTMLElement | null {
  const questions = (starters ?? []).filter((q) => typeof q === "string" && q.trim() !== "").slice(0, 6);
  if (questions.length === 0) return null;
  const buttons = questions.map((q) => {
    const button = h("button", { type: "button", class: "starter-chip", "data-starter": "" }, q);
    button.addEventListener("click", () => onPick(q));
    return button;
  });
  return h("div", { class: "starters", role: "group", "aria-label": t("startersLabel") }, ...buttons);
}
