/**
 * Answer feedback in the cabinet: a visitor's rating under the answer in the dialog view, the dialog
 * list's rating filter, and the usage view's count of ratings in the range.
 */
import { h } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import { thumbIcon } from "../../shared/thumb-icon.ts";
import type { CabinetContext } from "../context.ts";
import { ft } from "../feedback-texts.ts";

/** A visitor's rating of an answer, as the dialog route gives it. */
export interface AnswerRating {
  rating: "up" | "down";
  comment: string | null;
  updated_at: string;
}

/** The rating under an answer (null: none). The comment is the visitor's text: a text node only. */
export function ratingLine(feedback: AnswerRating | null | undefined): HTMLElement | null {
  if (!feedback) return null;
  const up = feedback.rating === "up";
  return h(
    "p",
    { class: "msg-rating", "data-rating": feedback.rating },
    thumbIcon(feedback.rating),
    ` ${up ? ft("ratedUp") : ft("ratedDown")}`,
    feedback.comment ? h("span", { class: "rating-comment" }, `“${feedback.comment}”`) : null,
  );
}

/** The options of the dialog list's rating filter (`?rating=`). */
export const ratingOptions = (): Array<[string, string]> => [
  ["", ft("ratingAll")],
  ["any", ft("ratingAny")],
  ["up", ft("ratingUp")],
  ["down", ft("ratingDown")],
];

export const ratingFilterLabel = () => ft("ratingFilter");

/** The usage view's card: thumbs up and down given in the range, and a link to the dialogs rated down. */
export function ratingsCard(
  ctx: CabinetContext,
  feedback: { up: number; down: number } | undefined,
): HTMLElement {
  const counts = feedback ?? { up: 0, down: 0 };
  const num = (n: number) => n.toLocaleString(getLocale());
  return h(
    "div",
    { class: "card usage-card", "data-card": "ratings" },
    h("h3", null, ft("ratingsTitle")),
    h(
      "p",
      { class: "usage-figure usage-ratings" },
      h(
        "span",
        { "data-rating": "up", title: ft("ratingsUpCount", { n: num(counts.up) }) },
        thumbIcon("up"),
        ` ${num(counts.up)}`,
      ),
      h(
        "span",
        { "data-rating": "down", title: ft("ratingsDownCount", { n: num(counts.down) }) },
        thumbIcon("down"),
        ` ${num(counts.down)}`,
      ),
    ),
    counts.down > 0
      ? h(
          "p",
          { class: "small" },
          h("a", { href: `${ctx.href("dialogs")}?rating=down` }, ft("ratingsDownLink")),
        )
      : null,
  );
}
