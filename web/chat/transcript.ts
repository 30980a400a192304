/**
 * The visitor's side of a conversation, kept in localStorage per tenant: the dialog id (so a reload
 * continues the same dialog on the server) and the recent messages (there is no public history route;
 * an answer still streaming at a reload is replayed by the resume route).
 */
import type { CommandEvent } from "../shared/sse.ts";
import { readJson, removeKey, writeJson } from "../shared/store.ts";

export type MessageStatus = "complete" | "streaming" | "stopped" | "failed" | "partial";

/** A visitor's rating of an answer (answer feedback). */
export type Rating = "up" | "down";

export interface StoredMessage {
  /** `operator`: a human's reply during a takeover (`author` is the name shown, if any). */
  role: "user" | "assistant" | "operator";
  text: string;
  commands: CommandEvent[];
  status: MessageStatus;
  author?: string | null;
  /** An answer's id and dialog (from the stream), so it can be rated; and the rating given, if any. */
  id?: string;
  dialogId?: string;
  rating?: Rating;
  comment?: string;
}

export interface Transcript {
  dialogId: string | null;
  messages: StoredMessage[];
  /** `seq` of the newest operator reply shown, so a reload asks the server only for newer ones. */
  operatorSeq?: number;
}

export interface TranscriptStore {
  load(): Transcript;
  save(transcript: Transcript): void;
  clear(): void;
}

/** Messages kept per tenant; older ones drop off (the server keeps the whole dialog). */
const KEEP = 60;

function isTranscript(value: unknown): value is Transcript {
  const v = value as Transcript | null;
  return !!v && typeof v === "object" && Array.isArray(v.messages);
}

const isId = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v);

/** The answer's id, dialog and rating as stored, when they are well-formed. */
function ratingOf(m: StoredMessage): Pick<StoredMessage, "id" | "dialogId" | "rating" | "comment"> {
  const out: Pick<StoredMessage, "id" | "dialogId" | "rating" | "comment"> = {};
  if (isId(m.id)) out.id = m.id;
  if (isId(m.dialogId)) out.dialogId = m.dialogId;
  if (m.rating === "up" || m.rating === "down") out.rating = m.rating;
  if (typeof m.comment === "string") out.comment = m.comment;
  return out;
}

/** A transcript stored under `key`. */
export function localTranscript(key: string): TranscriptStore {
  return {
    load() {
      const raw = readJson<unknown>(key);
      if (!isTranscript(raw)) return { dialogId: null, messages: [] };
      const kept = raw.messages.filter(
        (m) =>
          (m.role === "user" || m.role === "assistant" || m.role === "operator") &&
          typeof m.text === "string",
      );
      // Only the newest answer may still be streaming (the page then resumes it); older ones were cut off.
      const messages = kept.map(
        (m, i): StoredMessage => ({
          role: m.role,
          text: m.text,
          commands: Array.isArray(m.commands) ? m.commands : [],
          ...(m.role === "operator" ? { author: typeof m.author === "string" ? m.author : null } : {}),
          ...(m.role === "assistant" ? ratingOf(m) : {}),
          status:
            m.status === "streaming" && i < kept.length - 1 ? (m.text ? "partial" : "failed") : m.status,
        }),
      );
      const operatorSeq = Number.isInteger(raw.operatorSeq) ? (raw.operatorSeq as number) : 0;
      return { dialogId: typeof raw.dialogId === "string" ? raw.dialogId : null, messages, operatorSeq };
    },
    save(transcript) {
      writeJson(key, {
        dialogId: transcript.dialogId,
        messages: transcript.messages.slice(-KEEP),
        operatorSeq: transcript.operatorSeq ?? 0,
      });
    },
    clear() {
      removeKey(key);
    },
  };
}
