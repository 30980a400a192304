/** What a conversation (conversation.ts) is configured with, and what it gives back. */
import type { ApiError } from "../shared/api.ts";
import type { CommandEvent } from "../shared/sse.ts";
import type { Rating, TranscriptStore } from "./transcript.ts";

export interface ConversationConfig {
  /** The SSE endpoint (absolute path). */
  url: string;
  body: (message: string, dialogId: string | null) => unknown;
  token?: () => string | null;
  /** API path (under /api/v1) that stops a running answer of a dialog; without it Stop only stops reading. */
  stopPath?: (dialogId: string) => string;
  stopBody?: () => unknown;
  /** The URL that replays a dialog's latest answer after an event id; without it nothing resumes. */
  resumeUrl?: (dialogId: string, afterId: number) => string;
  /** The dialog's live feed of operator replies (human takeover) after a `seq`; without it none show. */
  feedUrl?: (dialogId: string, afterSeq: number) => string;
  store: TranscriptStore;
  imageSrc: (url: string) => string | null;
  renderCommand: (cmd: CommandEvent) => HTMLElement | null;
  greeting?: string | null;
  /** Questions shown as chips in an empty conversation; a click sends one (starter-chips.ts). */
  starters?: readonly string[];
  /**
   * Asked when the conversation is empty (first render, after a reset): a dialog the server opened with
   * its own first message (the setup chat's opening question), shown as the dialog's first answer.
   */
  open?: () => Promise<{ dialogId: string; id: string; text: string } | null>;
  label?: string;
  onCommand?: (cmd: CommandEvent) => void;
  onUnauthorized?: () => void;
  composerExtra?: HTMLElement | null;
  /** Shown between the log and the message box (e.g. the human check). */
  beforeComposer?: HTMLElement | null;
  /**
   * Extra headers and body fields of each request for a dialog (null: a new one), e.g. the widget token
   * and, for a new dialog, the Turnstile token. A rejection refuses the turn like an API error.
   */
  prepare?: (dialogId: string | null) => Promise<RequestExtras>;
  /** A refusal the page can fix (a new widget token, the human check): true sends the message again, once. */
  recover?: (err: ApiError) => Promise<boolean>;
  /** True when the stored conversation is too old to go on (the tenant's policy): the next message starts anew. */
  stale?: () => boolean;
  /** The server took a visitor's message into `dialogId`. */
  onSent?: (dialogId: string, text: string) => void;
  /** An answer ended (`status` complete or stopped). */
  onReceived?: (dialogId: string, text: string, status: string) => void;
  /** Stores the visitor's rating of an answer; without it no thumbs are shown (answer-feedback.ts). */
  rate?: (dialogId: string, messageId: string, rating: Rating, comment?: string) => Promise<unknown>;
}

export interface RequestExtras {
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface Conversation {
  el: HTMLElement;
  reset(): void;
  focus(): void;
  /** The dialog the conversation continues, if it has one yet. */
  dialogId(): string | null;
}
