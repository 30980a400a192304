/**
 * A streamed conversation: the message log (role="log", aria-busy while an answer streams, so screen
 * readers read the finished answer), the composer, sending over SSE, stop, retry, resuming a broken
 * stream, the transcript kept across reloads, and (with `feedUrl`) a human operator's replies as they
 * come. Used by the public chat and the owner's admin chat.
 */
import { ApiError, errorText } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { t } from "../shared/i18n.ts";
import { feedbackControls } from "./answer-feedback.ts";
import { createComposer } from "./composer.ts";
import type { Conversation, ConversationConfig, RequestExtras } from "./conversation-config.ts";
import { MessageView, storedView } from "./message-view.ts";
import { createOperatorChannel, type OperatorMessage } from "./operator-channel.ts";
import { starterChips } from "./starter-chips.ts";
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
  /** Set while a refused message is sent again after `config.recover` fixed the cause (once). */
  let recovering = false;

  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const scroll = (force = false) => {
    if (force || nearBottom()) requestAnimationFrame(() => log.scrollTo({ top: log.scrollHeight }));
  };
  const save = () => config.store.save(transcript);

  function show(message: StoredMessage): MessageView {
    const view = storedView(message, viewOpts);
    offerFeedback(message, view);
    log.appendChild(view.el);
    return view;
  }

  /** Thumbs up/down under a finished answer the server named (only with `config.rate`: the public chat). */
  function offerFeedback(entry: StoredMessage, view: MessageView): void {
    const rate = config.rate;
    const { id, dialogId } = entry;
    if (!rate || entry.role !== "assistant" || !id || !dialogId || !entry.text) return;
    if (entry.status !== "complete" && entry.status !== "stopped") return;
    view.el.querySelector(".msg-feedback")?.remove();
    const send = (rating: "up" | "down", comment?: string) => rate(dialogId, id, rating, comment);
    view.el.appendChild(feedbackControls(entry, send, save));
  }

  // Human takeover: who answers now (a status line over the composer) and the operator's replies.
  const banner = h("p", { class: "conv-operator", role: "status", hidden: true });
  const operatorReply = (m: OperatorMessage) => {
    if (m.seq <= (transcript.operatorSeq ?? 0)) return;
    const entry: StoredMessage = {
      role: "operator",
      text: m.text,
      author: m.name,
      commands: [],
      status: "complete",
    };
    transcript.messages.push(entry);
    transcript.operatorSeq = m.seq;
    show(entry);
    save();
    scroll(true);
  };
  const operators = config.feedUrl
    ? createOperatorChannel({
        url: config.feedUrl,
        // A protected embed's widget token goes with the feed too.
        headers: async (dialogId) => (await config.prepare?.(dialogId))?.headers ?? {},
        onMessage: operatorReply,
        onState(active, name) {
          banner.hidden = !active;
          banner.textContent = active ? (name ? t("operatorActive", { name }) : t("operatorActiveAnon")) : "";
        },
      })
    : null;
  const follow = () => {
    if (transcript.dialogId) operators?.follow(transcript.dialogId, transcript.operatorSeq ?? 0);
  };

  /** The starter questions on show (an empty conversation only). */
  let chips: HTMLElement | null = null;

  function renderAll(): void {
    replace(log);
    if (config.greeting) {
      const greeting = show({ role: "assistant", text: config.greeting, commands: [], status: "complete" });
      greeting.el.classList.add("msg-greeting");
    }
    chips =
      transcript.messages.length === 0 ? starterChips(config.starters, (q) => void send(q, false)) : null;
    if (chips) log.appendChild(chips);
    const views = transcript.messages.map(show);
    scroll(true);
    // An answer that was still streaming when the page went away: replay it from the server.
    const last = transcript.messages.at(-1);
    const lastView = views.at(-1);
    if (last?.role === "assistant" && last.status === "streaming" && lastView) {
      if (transcript.dialogId && config.resumeUrl) void answer(last, lastView, null);
      else interrupted(last, lastView);
    }
    follow();
    if (config.open && !transcript.dialogId && transcript.messages.length === 0) void opening();
  }

  /** Shows the dialog the server opened for an empty conversation, unless the user wrote first. */
  async function opening(): Promise<void> {
    const asked = transcript;
    const opened = await config.open?.().catch(() => null);
    // A message sent or a reset meanwhile wins: that dialog is the one to continue.
    if (!opened || transcript !== asked || transcript.dialogId || transcript.messages.length > 0) return;
    const entry: StoredMessage = {
      role: "assistant",
      text: opened.text,
      commands: [],
      status: "complete",
      id: opened.id,
      dialogId: opened.dialogId,
    };
    transcript.dialogId = opened.dialogId;
    transcript.messages.push(entry);
    show(entry).el.classList.add("msg-opening");
    save();
    scroll(true);
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
      const dialog = turnDialog;
      if (running)
        void (async () => {
          const extras = dialog ? await config.prepare?.(dialog).catch(() => undefined) : undefined;
          await stopTurn(
            running,
            path,
            config.stopBody?.() ?? {},
            config.token?.(),
            () => controller === running,
            extras?.headers,
          );
        })();
    },
    extra: config.composerExtra,
  });

  const onDialog = (dialogId: string) => {
    transcript.dialogId = dialogId;
    turnDialog = dialogId;
    save();
    follow();
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
    const target = text === null || !fresh ? transcript.dialogId : null;
    let extras: RequestExtras = {};
    let unprepared: unknown = null;
    try {
      extras = (await config.prepare?.(target)) ?? {};
    } catch (err) {
      unprepared = err;
    }
    const first =
      text === null
        ? { url: resumeUrl(0) ?? "", method: "GET" as const }
        : { url: config.url, body: { ...(config.body(text, target) as object), ...extras.body } };
    const request = { ...first, token: config.token?.(), headers: extras.headers, signal: controller.signal };
    const sentTo =
      text === null
        ? onDialog
        : (dialogId: string) => {
            onDialog(dialogId);
            config.onSent?.(dialogId, text);
          };
    const { failure, refused, takenOver } = unprepared
      ? { failure: null, refused: unprepared, takenOver: false }
      : await runResilientTurn(
          request,
          entry,
          viewHooks(entry, view, sentTo, scroll, config.onCommand),
          resumeUrl,
        );
    controller = null;
    busy = false;
    composer.setBusy(false);
    log.setAttribute("aria-busy", "false");
    if (refused instanceof ApiError && refused.status === 401) config.onUnauthorized?.();
    if (takenOver) {
      // A person holds the chat: the message reached them; their reply comes over the operator feed.
      transcript.messages.splice(transcript.messages.indexOf(entry), 1);
      view.el.remove();
      save();
      return;
    }
    if (text !== null && refused instanceof ApiError && !recovering && (await config.recover?.(refused))) {
      // The page fixed what the API refused (a new widget token, the human check): send it again, once.
      transcript.messages.splice(transcript.messages.indexOf(entry), 1);
      view.el.remove();
      recovering = true;
      try {
        return await send(text, true, fresh);
      } finally {
        recovering = false;
      }
    }
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
    if (turnDialog && (entry.status === "complete" || entry.status === "stopped")) {
      entry.dialogId = turnDialog;
      offerFeedback(entry, view);
    }
    if (text !== null && turnDialog && (entry.status === "complete" || entry.status === "stopped")) {
      config.onReceived?.(turnDialog, entry.text, entry.status);
    }
    save();
    scroll();
  }

  /** Forgets the conversation (here and in storage); the next message starts a new dialog. */
  function startOver(): void {
    controller?.abort();
    operators?.stop();
    banner.hidden = true;
    config.store.clear();
    transcript = { dialogId: null, messages: [] };
    renderAll();
  }

  async function send(text: string, retrying: boolean, fresh = false): Promise<void> {
    if (busy) return;
    chips?.remove();
    chips = null;
    if (!retrying && transcript.dialogId && config.stale?.()) startOver();
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

  const el = h("section", { class: "conv" }, log, banner, config.beforeComposer ?? null, composer.el);
  renderAll();
  return {
    el,
    reset() {
      startOver();
      composer.focus();
    },
    focus: () => composer.focus(),
    dialogId: () => transcript.dialogId,
  };
}
