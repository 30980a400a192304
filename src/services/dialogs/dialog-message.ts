import type { StoredMessage } from "../../chat/dialog-contract.ts";
import type { DialogMessage } from "./dialogs-read.ts";

/** A final stored message as the cabinet's `message` event and API carry it. */
export function cabinetMessage(m: StoredMessage): DialogMessage {
  return {
    id: m.id,
    seq: m.seq,
    role: m.role,
    content: m.content,
    commands: m.commands,
    status: m.status === "streaming" ? "partial" : m.status,
    author_id: m.authorId ?? null,
    created_at: new Date(m.createdAt).toISOString(),
    // A message the live feed just brought has no rating yet; the dialog's reload shows later ones.
    feedback: null,
  };
}
