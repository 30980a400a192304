/** One visitor turn inside the dialog object, from acceptance to its stored answer. */
import type { TurnInput } from "../chat/dialog-contract.ts";
import type { EventLog } from "../chat/event-log.ts";
import type { StoredMessage } from "./dialog-store.ts";
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
