/**
 * Human takeover inside the dialog's Durable Object, its single writer: who holds the dialog (kept in the
 * object's SQLite, so a visitor's turn checks it without a Postgres round trip) and the operator's
 * replies, which take the next `seq` like every other message and are written ahead before anything else.
 */

import type { DialogMeta, Operator, Refusal, StoredMessage, TakeoverState } from "../chat/dialog-contract.ts";
import type { DialogFeed } from "./dialog-feed.ts";
import type { DialogStore } from "./dialog-store.ts";

export type { FeedStart, Operator, OperatorReply, Refusal, TakeoverReply } from "../chat/dialog-contract.ts";

const notFound: Refusal = { ok: false, code: "not_found", message: "No such dialog." };

/** Why an operator may not act on this dialog, or null when it may. */
export function operatorRefusal(meta: DialogMeta | null, tenantId: string): Refusal | null {
  if (!meta || meta.tenantId !== tenantId) return notFound;
  if (meta.channel === "admin") {
    return {
      ok: false,
      code: "conflict",
      message: "The setup chat is the owner's own; it cannot be taken over.",
    };
  }
  return null;
}

/** Why this visitor may not follow this dialog's feed, or null when it may (its own web dialog only). */
export function visitorRefusal(meta: DialogMeta | null, tenantId: string, visitorId: string): Refusal | null {
  if (!meta || meta.tenantId !== tenantId || meta.visitorId !== visitorId || meta.channel !== "web") {
    return notFound;
  }
  return null;
}

/**
 * Gives the dialog to `operator` and tells the feeds. Taking over a dialog someone else holds reassigns
 * it; the same operator taking it again keeps the original time.
 */
export function takeOver(store: DialogStore, feed: DialogFeed, operator: Operator): TakeoverState {
  const held = store.takeover();
  const state: TakeoverState = {
    by: operator.id,
    name: operator.name,
    at: held && held.by === operator.id ? held.at : Date.now(),
  };
  store.setTakeover(state);
  feed.publishState(state);
  return state;
}

/** Hands the dialog back to the model; harmless when nobody holds it. */
export function release(store: DialogStore, feed: DialogFeed): void {
  if (!store.takeover()) return;
  store.setTakeover(null);
  feed.publishState(null);
}

/**
 * Writes an operator reply as the dialog's next message (the store's listener fans it out). A reply to a
 * dialog nobody holds takes it over first: a human answering means the model must stop answering.
 */
export function writeOperatorMessage(
  store: DialogStore,
  feed: DialogFeed,
  operator: Operator,
  text: string,
): { message: StoredMessage; state: TakeoverState } {
  const state = store.takeover() ?? takeOver(store, feed, operator);
  const message: StoredMessage = {
    seq: store.nextSeq(),
    id: crypto.randomUUID(),
    role: "operator",
    content: text,
    commands: [],
    status: "complete",
    usage: null,
    createdAt: Date.now(),
    authorId: operator.id,
    authorName: operator.name,
  };
  store.putMessage(message);
  return { message, state };
}
