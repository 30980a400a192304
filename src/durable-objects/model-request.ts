import type { Channel } from "../commands/types.ts";
import type { ChatMessage, ChatRequest } from "../llm/client.ts";
import type { StoredMessage } from "./dialog-store.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/**
 * The model request of a turn: the channel's system prompt, then the dialog's history (newest kept within
 * budget) ending with the visitor's message verbatim as the last `user` message. Nothing is spliced into
 * the visitor's text; command results live inside the stored assistant messages.
 */
export function buildModelRequest(
  snapshot: TenantSnapshot,
  channel: Channel,
  history: StoredMessage[],
): ChatRequest {
  const system = channel === "admin" ? snapshot.adminPrompt : snapshot.userPrompt;
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  for (const m of history) {
    if (m.role === "assistant" && m.content === "") continue;
    messages.push({ role: m.role, content: m.content });
  }
  return { messages, maxTokens: 2048, temperature: channel === "admin" ? 0.3 : 0.5 };
}
