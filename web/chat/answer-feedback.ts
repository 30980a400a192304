/**
 * Thumbs up / down under a finished answer, and an optional comment box after a thumbs-down. The choice
 * stays visible (pressed) after rating and across reloads (it is kept in the transcript entry). A new
 * rating replaces the earlier one on the server, so changing one's mind is just another click.
 */
import { errorText } from "../shared/api.ts";
import { h, replace, uid } from "../shared/dom.ts";
import { dictionary } from "../shared/i18n.ts";
import { thumbIcon } from "../shared/thumb-icon.ts";
import type { Rating, StoredMessage } from "./transcript.ts";

/** The longest comment the API takes (code points). */
export const FEEDBACK_COMMENT_MAX = 500;

const t = dictionary(
  {
    helpful: "Helpful",
    notHelpful: "Not helpful",
    rateAnswer: "Rate this answer",
    thanks: "Thanks for your feedback.",
    commentLabel: "What was wrong? (optional)",
    commentPlaceholder: "Tell us what was wrong or missing",
    send: "Send",
    skip: "Skip",
    tooLong: "At most 500 characters.",
  },
  {
    helpful: "Полезно",
    notHelpful: "Бесполезно",
    rateAnswer: "Оцените ответ",
    thanks: "Спасибо за отзыв.",
    commentLabel: "Что было не так? (необязательно)",
    commentPlaceholder: "Расскажите, что было не так или чего не хватило",
    send: "Отправить",
    skip: "Пропустить",
    tooLong: "Не больше 500 символов.",
  },
);

/** Sends a rating of the answer; rejects with an ApiError when refused. */
export type SendRating = (rating: Rating, comment?: string) => Promise<unknown>;

/** The controls under `entry`; `onRated` runs after each stored rating (to save the transcript). */
export function feedbackControls(entry: StoredMessage, send: SendRating, onRated: () => void): HTMLElement {
  const status = h("span", { class: "feedback-note", role: "status" });
  const button = (rating: Rating, label: string) =>
    h(
      "button",
      {
        type: "button",
        class: `feedback-btn feedback-${rating}`,
        "data-rating": rating,
        "aria-label": label,
        title: label,
        "aria-pressed": String(entry.rating === rating),
        onclick: () => void choose(rating),
      },
      thumbIcon(rating),
    );
  const up = button("up", t("helpful"));
  const down = button("down", t("notHelpful"));
  const commentBox = h("div", { class: "feedback-comment", hidden: true });
  const el = h(
    "div",
    { class: "msg-feedback", role: "group", "aria-label": t("rateAnswer") },
    h("div", { class: "feedback-row" }, up, down, status),
    commentBox,
  );

  const pressed = () => {
    up.setAttribute("aria-pressed", String(entry.rating === "up"));
    down.setAttribute("aria-pressed", String(entry.rating === "down"));
  };
  const busy = (on: boolean) => {
    for (const b of el.querySelectorAll("button")) b.disabled = on;
  };

  async function store(rating: Rating, comment?: string): Promise<boolean> {
    busy(true);
    status.className = "feedback-note";
    status.textContent = "";
    try {
      await send(rating, comment);
      entry.rating = rating;
      if (comment !== undefined) entry.comment = comment;
      else delete entry.comment;
      pressed();
      onRated();
      status.textContent = t("thanks");
      return true;
    } catch (err) {
      status.className = "feedback-note error";
      status.textContent = errorText(err);
      return false;
    } finally {
      busy(false);
    }
  }

  async function choose(rating: Rating): Promise<void> {
    if (!(await store(rating))) return;
    if (rating === "down") openComment();
    else closeComment();
  }

  function closeComment(): void {
    commentBox.hidden = true;
    replace(commentBox);
  }

  function openComment(): void {
    const id = uid("feedback");
    const text = h("textarea", {
      id,
      class: "feedback-text",
      rows: 2,
      maxlength: FEEDBACK_COMMENT_MAX,
      placeholder: t("commentPlaceholder"),
    });
    const form = h(
      "form",
      {
        class: "feedback-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          const comment = text.value.trim();
          if ([...comment].length > FEEDBACK_COMMENT_MAX) {
            status.className = "feedback-note error";
            status.textContent = t("tooLong");
            return;
          }
          void store("down", comment).then((ok) => {
            if (ok) closeComment();
          });
        },
      },
      h("label", { for: id }, t("commentLabel")),
      text,
      h(
        "div",
        { class: "feedback-actions" },
        h("button", { type: "submit", class: "btn btn-small feedback-send" }, t("send")),
        h(
          "button",
          { type: "button", class: "btn btn-ghost btn-small feedback-skip", onclick: closeComment },
          t("skip"),
        ),
      ),
    );
    replace(commentBox, form);
    commentBox.hidden = false;
    text.focus();
  }

  return el;
}
