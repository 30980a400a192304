import type { Channel } from "../commands/types.ts";
import type { ChatMessage, ChatRequest } from "../llm/client.ts";
import type { StoredMessage } from "./dialog-store.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/**
 * The model request of a turn: the channel's system prompt, then the dialog's history (newest kept within
 * budget) ending with the visitor's message verbatim as the last `user` message. Nothing is spliced into
 * the visitor's text; command results live inside the stored assistant messages (readable text), and the
 * ids they name follow such a message as a system note. A human operator's
 * replies (from a takeover) go as `assistant` messages, the side of the conversation they spoke for, and
 * a second system message says that some of them were a person's, so the model stays consistent with
 * what was promised without imitating a label.
 */
export function buildModelRequest(
  snapshot: TenantSnapshot,
  channel: Channel,
  history: StoredMessage[],
): ChatRequest {
  const system = channel === "admin" ? snapshot.adminPrompt : snapshot.userPrompt;
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  if (history.some((m) => m.role === "operator")) messages.push({ role: "system", content: OPERATOR_NOTE });
  for (const m of history) {
    if (m.role === "assistant" && m.content === "") continue;
    messages.push({ role: m.role === "operator" ? "assistant" : m.role, content: m.content });
    const notes = commandNotes(m.commands);
    if (notes) messages.push({ role: "system", content: `${COMMAND_NOTE}\n${notes}` });
  }
  // Model, thinking, temperature and length come from the tenant's settings (chat/model-settings.ts).
  return { messages };
}

/**
 * The ids behind the readable results of the previous answer's commands: the visitor saw titles only, the
 * model needs the ids to show a gallery or open a document on a later turn.
 */
export const COMMAND_NOTE =
  "For you, not for the visitor: the commands in your previous answer referred to these items.";

function commandNotes(commands: unknown[]): string {
  const notes: string[] = [];
  for (const c of commands) {
    const note = typeof c === "object" && c !== null ? (c as { note?: unknown }).note : undefined;
    if (typeof note === "string" && note !== "") notes.push(note);
  }
  return notes.join("\n");
}

/** Told to the model when the history holds replies a human wrote during a takeover. */
export const OPERATOR_NOTE =
  "Some earlier assistant replies in this conversation were written by a human operator of this business " +
  "who took the chat over for a while. Treat them as said on the business's behalf: stay consistent " +
  "with them and do not contradict or repeat them.";
