/**
 * The message box: a labelled textarea that grows with its text, Enter sends, Shift+Enter makes a new
 * line (IME composition is left alone), and one button that is "Send" or, while an answer streams, "Stop".
 */
import { h, uid } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";

/** The API's message limit (characters). */
export const MESSAGE_MAX = 4000;

export interface Composer {
  el: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  setBusy(busy: boolean): void;
  focus(): void;
}

/** Builds the composer; `onSend` gets the trimmed-checked text, `onStop` runs when Stop is pressed. */
export function createComposer(opts: {
  onSend: (text: string) => void;
  onStop: () => void;
  extra?: HTMLElement | null;
}): Composer {
  const id = uid("msg");
  const hintId = uid("hint");
  const counter = h("span", { class: "counter", "aria-live": "polite" });
  const textarea = h("textarea", {
    id,
    name: "message",
    rows: 1,
    maxlength: MESSAGE_MAX,
    placeholder: t("messagePlaceholder"),
    "aria-describedby": hintId,
    autocomplete: "off",
    enterkeyhint: "send",
  });
  const icon = h("span", { class: "send-icon", "aria-hidden": "true" }, "➤");
  const label = h("span", { class: "send-label" }, t("send"));
  const button = h(
    "button",
    { type: "submit", class: "btn send", "data-action": "send", "aria-label": t("send") },
    icon,
    label,
  );
  let busy = false;

  const grow = () => {
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight, 160)}px`;
    const left = MESSAGE_MAX - textarea.value.length;
    counter.textContent = left < 500 ? String(left) : "";
  };
  const submit = () => {
    if (busy) return;
    const text = textarea.value;
    if (!text.trim()) return;
    textarea.value = "";
    grow();
    opts.onSend(text);
  };

  textarea.addEventListener("input", grow);
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  const form = h(
    "form",
    {
      class: "composer",
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (busy) opts.onStop();
        else submit();
      },
    },
    h("label", { for: id, class: "sr-only" }, t("messageLabel")),
    h("div", { class: "composer-row" }, textarea, button),
    h(
      "div",
      { class: "composer-foot" },
      h("span", { id: hintId, class: "hint" }, t("enterHint")),
      counter,
      opts.extra ?? null,
    ),
  );

  return {
    el: form,
    textarea,
    setBusy(value) {
      busy = value;
      icon.textContent = value ? "■" : "➤";
      label.textContent = value ? t("stop") : t("send");
      button.setAttribute("aria-label", label.textContent);
      button.dataset.action = value ? "stop" : "send";
      button.classList.toggle("stop", value);
    },
    focus() {
      textarea.focus();
    },
  };
}
