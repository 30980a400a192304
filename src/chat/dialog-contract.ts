/**
 * The dialog's contract: what the dialog object takes and answers over RPC (turns, takeover, feeds), the
 * shapes of its stored messages, and what a command run gives back. It lives in the engine's layer so the
 * services that call the object and the engine it runs share one definition and import nothing above them.
 */
import type { ErrorCode } from "../errors.ts";

/** Where a dialog talks: the public web chat, a Telegram chat, or the owner's setup chat. */
export type Channel = "web" | "telegram" | "admin";

/**
 * A command's outcome. `text` replaces the block in the streamed answer (readable in any channel,
 * Telegram included); `data` is structured detail for the `command` event (e.g. image URLs).
 */
export interface CommandResult {
  ok: boolean;
  text: string;
  data?: unknown;
  /** What the model should remember on later turns (e.g. ids the text leaves out); never shown. */
  note?: string;
}

/** A block that ran, as the `command` event and the stored answer carry it. */
export interface CommandRecord {
  name: string;
  ok: boolean;
  /** The readable result that replaced the block in the answer (never holds a tag). */
  result: string;
  data?: unknown;
  /** What the model should remember of the result on later turns (ids); never shown to a visitor. */
  note?: string;
}

/** What running one block came to: it ran (with its result), or it was refused and never ran. */
export type BlockOutcome =
  | { kind: "ran"; name: string; result: CommandResult }
  | { kind: "refused"; name: string | null; reason: "unknown" | "not_allowed" | "malformed" };

export interface DialogMeta {
  dialogId: string;
  tenantId: string;
  channel: Channel;
  visitorId: string;
  userId: string | null;
  createdAt: number;
}

export type StoredStatus = "streaming" | "complete" | "partial" | "failed" | "stopped";

export interface StoredMessage {
  seq: number;
  id: string;
  /** `operator`: a human reply written from the cabinet while the dialog is taken over. */
  role: "user" | "assistant" | "operator";
  content: string;
  commands: unknown[];
  status: StoredStatus;
  usage: Record<string, number> | null;
  createdAt: number;
  /** The cabinet user who wrote an operator message, and the name the visitor is shown. */
  authorId?: string | null;
  authorName?: string | null;
}

/** Who holds a taken-over dialog (the model stays silent in it), since when. */
export interface TakeoverState {
  by: string;
  name: string | null;
  at: number;
}

/** The cabinet user acting as operator; `name` is what the visitor sees (null: "Operator"). */
export interface Operator {
  id: string;
  name: string | null;
}

export interface Refusal {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** A message of a dialog as the visitor's rating of it needs it (answer feedback), or why not. */
export type RatedMessage = { ok: true; role: StoredMessage["role"]; status: StoredStatus } | Refusal;

export type TakeoverReply = { ok: true; state: TakeoverState | null } | Refusal;

export type OperatorReply =
  | { ok: true; message: StoredMessage; state: TakeoverState; visitorsOnline: number }
  | Refusal;

export type FeedStart = { ok: true; stream: ReadableStream<Uint8Array> } | Refusal;

/** The dialog object emptied for good (the cabinet's delete); what it was, when it knew (else nulls). */
export type EraseReply = { ok: true; channel: Channel | null; visitorId: string | null } | Refusal;

export interface TurnInput {
  tenantId: string;
  dialogId: string;
  channel: Channel;
  visitorId: string;
  userId?: string | null;
  message: string;
  /** True when the caller made a new dialog id; false when the client named an existing dialog. */
  create: boolean;
  /** A Turnstile token sent with the message, and the client's address (the human check of every Nth). */
  turnstileToken?: string | undefined;
  remoteIp?: string | undefined;
  /** Sent by the tenant's own server with a `chat` API key: no human check applies. */
  server?: boolean | undefined;
  /** The HTTP request that started the turn: the dialog object's log lines for the turn carry it. */
  requestId?: string | undefined;
}

export type TurnStart =
  | { ok: true; dialogId: string; messageId: string; stream: ReadableStream<Uint8Array> }
  | { ok: false; code: ErrorCode; message: string; retryAfter?: number };

export type TurnResult =
  | {
      ok: true;
      dialogId: string;
      messageId: string;
      reply: string;
      status: string;
      commands: CommandRecord[];
    }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      retryAfter?: number;
      dialogId?: string;
      messageId?: string;
    };
