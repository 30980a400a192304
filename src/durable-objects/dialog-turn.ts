/** One visitor turn inside the dialog object, from acceptance to its stored answer. */
import type { TurnInput } from "../chat/dialog-contract.ts";
import type { EventLog } from "../chat/event-log.ts";
import { extractLeads } from "../chat/leads.ts";
import type { DialogStore, StoredMessage } from "./dialog-store.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

export interface Turn {
  input: TurnInput;
  userMessageId: string;
  messageId: string;
  log: EventLog;
  snapshot: TenantSnapshot;
  abort: AbortController;
  /** The visitor message waits in `pending_turns` (the turn was queued behind another). */
  pending: boolean;
  /** Settles when the model has accepted the request, or the turn ended without one. */
  started: Promise<void>;
  markStarted: () => void;
}

/**
 * Stores the turn's visitor message (and the leads found in it, outside the setup chat) in one
 * synchronous block, so a pending row becomes the message atomically; answers its `seq`.
 */
export function storeUserMessage(store: DialogStore, turn: Turn, now: number): number {
  const seq = store.nextSeq();
  if (turn.pending) store.takePending(turn.userMessageId);
  store.putMessage(message(seq, turn.userMessageId, "user", turn.input.message, "complete", now));
  if (turn.input.channel !== "admin") {
    for (const lead of extractLeads(turn.input.message)) store.addLead(lead.kind, lead.value, lead.raw);
  }
  return seq;
}

/** Ends a turn of a taken-over dialog: `done` with status `taken_over`, no answer stored. */
export function silentDone(turn: Turn): void {
  turn.log.push("done", {
    dialog_id: turn.input.dialogId,
    message_id: turn.messageId,
    status: "taken_over",
    usage: null,
    reply: "",
    commands: [],
  });
}

/** A message row as the store keeps it, before its content and commands are known. */
export function message(
  seq: number,
  id: string,
  role: "user" | "assistant",
  content: string,
  status: StoredMessage["status"],
  createdAt: number,
): StoredMessage {
  return { seq, id, role, content, commands: [], status, usage: null, createdAt };
}
