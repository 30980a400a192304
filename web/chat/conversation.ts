/**
 * A streamed conversation: the message log (role="log", aria-busy while an answer streams, so screen
 * readers read the finished answer), the composer, sending over SSE, stop, retry, resuming a broken
 * stream, and the transcript kept across reloads. Used by the public chat and the owner's admin chat.
 */
import { ApiError, errorText } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";
import { createComposer } from "./composer.ts";
import type { Conversation, ConversationConfig } from "./conversation-config.ts";
import { MessageView, storedView } from "./message-view.ts";
import type { StoredMessage, Transcript } from "./transcript.ts";
import { runResilientTurn, stopTurn, viewHooks } from "./turn.ts";

const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";

/** Builds a conversation UI bound to `config`. */
export function createConversation(config: ConversationConfig): Conversation {
  const label = config.label ?? t("chatLog");
  const log = h("div", {
    class: "conv-log",
    role: "log",
    tabindex: 0,
    "aria-live": "polite",
    "aria-label": label,
  });
  const viewOpts = { imageSrc: config.imageSrc, renderCommand: config.renderCommand };
  let transcript: Transcript = config.store.load();
  let controller: AbortController | null = null;
  let busy = false;
  let turnDialog: string | null = null;

  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const scroll = (force = false) => {
    if (force || nearBottom()) requestAnimationFrame(() => log.scrollTo({ top: log.scrollHeight }));
  };
  const save = () => config.store.save(transcript);

  function show(message: StoredMessage): MessageView {
    const view = storedView(message, viewOpts);
    log.appendChild(view.el);
    return view;
  }

  function renderAll(): void {
    replace(log);
    if (config.greeting) {
      const greeting = show({ role: "assistant", text: config.greeting, commands: [], status: "complete" });
      greeting.el.classList.add("msg-greeting");
    }
    const views = transcript.messages.map(show);
    scroll(true);
    // An answer that was still streaming when the page went away: replay it from the server.
    const last = transcript.messages.at(-1);
    const lastView = views.at(-1);
    if (last?.role === "assistant" && last.status === "streaming" && lastView) {
      if (transcript.dialogId && config.resumeUrl) void answer(last, lastView, null);
      else interrupted(last, lastView);
    }
  }

  function interrupted(entry: StoredMessage, view: MessageView): void {
    entry.status = entry.text ? "partial" : "failed";
    view.setState("interrupted");
    save();
  }

  const composer = createComposer({
    onSend: (text) => void send(text, false),
    onStop: () => {
      const running = controller;
      const path = turnDialog && config.stopPath ? config.stopPath(turnDialog) : null;
      if (running)
        void stopTurn(
          running,
          path,
          config.stopBody?.() ?? {},
          config.token?.(),
          () => controller === running,
        );
    },
    extra: config.composerExtra,
  });

  const onDialog = (dialogId: string) => {
    transcript.dialogId = dialogId;
    turnDialog = dialogId;
    save();
  };

  /** Streams `entry` into `view`: a new turn for `text`, or (text null) the stored answer, replayed. */
  async function answer(
    entry: StoredMessage,
    view: MessageView,
    text: string | null,
    fresh = false,
  ): Promise<void> {
    busy = true;
    composer.setBusy(true);
    log.setAttribute("aria-busy", "true");
    controller = new AbortController();
    turnDialog = text === null ? transcript.dialogId : null;
    const before = { text: entry.text, commands: entry.commands };
    if (text === null) {
      Object.assign(entry, { text: "", commands: [] });
      view.setState("typing");
    }
    const resumeUrl = (afterId: number) =>
      turnDialog && config.resumeUrl ? config.resumeUrl(turnDialog, afterId) : null;
    const first =
      text === null
        ? { url: resumeUrl(0) ?? "", method: "GET" as const }
        : { url: config.url, body: config.body(text, fresh ? null : transcript.dialogId) };
    const request = { ...first, token: config.token?.(), signal: controller.signal };
    const { failure, refused } = await runResilientTurn(
      request,
      entry,
      viewHooks(entry, view, onDialog, scroll, config.onCommand),
      resumeUrl,
    );
    controller = null;
    busy = false;
    composer.setBusy(false);
    log.setAttribute("aria-busy", "false");
    if (refused instanceof ApiError && refused.status === 401) config.onUnauthorized?.();
    const gone = refused instanceof ApiError && refused.status === 404 && refused.code === "not_found";
    if (text !== null && gone && transcript.dialogId && !fresh) {
      // The stored dialog is gone: start a new one with the same message.
      transcript.messages.splice(transcript.messages.indexOf(entry), 1);
      view.el.remove();
      return send(text, true, true);
    }
    if (text === null && (failure || refused)) Object.assign(entry, before);
    view.render();
    view.setCommands(entry.commands);
    if (isAbort(refused) || entry.status === "stopped") {
      entry.status = "stopped";
      view.setState("stopped");
    } else if ((failure || refused) && text === null) {
      interrupted(entry, view);
    } else if (failure || refused) {
      entry.status = entry.text ? "partial" : "failed";
      view.setState("error", failure ?? errorText(refused), () => {
        transcript.messages.splice(transcript.messages.indexOf(entry), 1);
        view.el.remove();
        void send(text ?? "", true);
      });
    } else {
      entry.status = "complete";
      view.setState("done");
    }
    save();
    scroll();
  }

  async function send(text: string, retrying: boolean, fresh = false): Promise<void> {
    if (busy) return;
    if (!retrying) {
      const user: StoredMessage = { role: "user", text, commands: [], status: "complete" };
      transcript.messages.push(user);
      show(user);
    }
    const entry: StoredMessage = { role: "assistant", text: "", commands: [], status: "streaming" };
    transcript.messages.push(entry);
    const view = new MessageView("assistant", viewOpts);
    view.setState("typing");
    log.appendChild(view.el);
    scroll(true);
    save();
    await answer(entry, view, text, fresh);
  }

  const el = h("section", { class: "conv" }, log, composer.el);
  renderAll();
  return {
    el,
    reset() {
      controller?.abort();
      config.store.clear();
      transcript = { dialogId: null, messages: [] };
      renderAll();
      composer.focus();
    },
    focus: () => composer.focus(),
  };
}
