/**
 * One chat bubble: markdown body (re-rendered at most once per frame while tokens stream in), the
 * command views under it, and a status line (typing dots, "thinking…" while the model reasons before
 * its first token, "stopped", an error with a Retry button).
 */
import { h, replace } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";
import { renderMarkdown } from "../shared/markdown.ts";
import type { CommandEvent } from "../shared/sse.ts";
import type { StoredMessage } from "./transcript.ts";

export type ViewState = "typing" | "thinking" | "streaming" | "done" | "stopped" | "interrupted" | "error";

export interface MessageViewOptions {
  imageSrc: (url: string) => string | null;
  renderCommand: (cmd: CommandEvent) => HTMLElement | null;
}

/** A rendered chat message. */
export class MessageView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly extra: HTMLElement;
  private readonly status: HTMLElement;
  private text = "";
  private pending = false;
  readonly role: StoredMessage["role"];
  private readonly opts: MessageViewOptions;

  /** `author`: an operator's name, shown above the reply ("Operator" when there is none). */
  constructor(role: StoredMessage["role"], opts: MessageViewOptions, author?: string | null) {
    this.role = role;
    this.opts = opts;
    this.body = h("div", { class: "msg-body" });
    this.extra = h("div", { class: "msg-extra" });
    this.status = h("div", { class: "msg-status" });
    const who =
      role === "operator"
        ? h("p", { class: "msg-author" }, author ? `${author} · ${t("operator")}` : t("operator"))
        : h("span", { class: "sr-only" }, `${role === "user" ? t("you") : t("assistant")}: `);
    this.el = h(
      "article",
      { class: `msg msg-${role}`, "data-role": role, "data-state": "done" },
      who,
      this.body,
      this.extra,
      this.status,
    );
  }

  /** Sets the whole text; the DOM catches up on the next animation frame (or soon, if hidden). */
  setText(text: string): void {
    this.text = text;
    if (this.pending) return;
    this.pending = true;
    let done = false;
    const flush = () => {
      if (done) return;
      done = true;
      this.pending = false;
      this.render();
    };
    requestAnimationFrame(flush);
    setTimeout(flush, 100);
  }

  /** Renders the text now. */
  render(): void {
    if (this.role !== "assistant") {
      // A visitor's (or operator's) text is shown exactly as typed: plain text, line breaks kept by CSS.
      this.body.textContent = this.text;
    } else {
      replace(this.body, renderMarkdown(this.text, { imageSrc: this.opts.imageSrc }));
    }
  }

  /** Shows the views of these commands under the text. */
  setCommands(commands: CommandEvent[]): void {
    replace(
      this.extra,
      commands.map((c) => this.opts.renderCommand(c)),
    );
  }

  /** Switches the status line. `onRetry` adds a Retry button to the error state. */
  setState(state: ViewState, error?: string, onRetry?: () => void): void {
    this.el.dataset.state = state;
    const busy = state === "typing" || state === "thinking" || state === "streaming";
    this.el.setAttribute("aria-busy", String(busy));
    switch (state) {
      case "typing":
        replace(
          this.status,
          h("span", { class: "typing", role: "img", "aria-label": t("typing") }, h("i"), h("i"), h("i")),
        );
        break;
      case "thinking":
        replace(
          this.status,
          h("span", { class: "typing", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
          h("span", { class: "note thinking", role: "status" }, t("thinking")),
        );
        break;
      case "stopped":
        replace(this.status, h("span", { class: "note" }, t("stopped")));
        break;
      case "interrupted":
        replace(this.status, h("span", { class: "note" }, t("interrupted")));
        break;
      case "error":
        replace(
          this.status,
          h("span", { class: "error", role: "alert" }, error ?? t("serverError")),
          onRetry
            ? h("button", { type: "button", class: "btn btn-small retry", onclick: onRetry }, t("retry"))
            : null,
        );
        break;
      default:
        replace(this.status);
    }
  }
}

/** The view of a stored message, rendered at once in its final state. */
export function storedView(message: StoredMessage, opts: MessageViewOptions): MessageView {
  const view = new MessageView(message.role, opts, message.author);
  view.setText(message.text);
  view.render();
  view.setCommands(message.commands);
  if (message.status === "stopped") view.setState("stopped");
  else if (message.status === "partial" || message.status === "failed") view.setState("interrupted");
  return view;
}
