/**
 * Assembles the system prompts: the user-chat prompt is the base prompt (the tenant's override or
 * prompts/user_chat_prompt.txt) followed by the chunks in position order; the admin-chat prompt carries
 * the current chunk list (id, position, question, a preview of the text) so the bot can edit it.
 */
import { ADMIN_CHAT_PROMPT } from "../prompts/admin-chat-prompt.ts";
import { USER_CHAT_PROMPT } from "../prompts/user-chat-prompt.ts";

export interface ChunkForPrompt {
  id: string;
  position: number;
  question: string;
  text: string;
}

const PREVIEW_CHARS = 160;

/** Base prompt + "KNOWLEDGE" with one section per chunk, in the order given. */
export function assembleUserPrompt(
  basePrompt: string | null | undefined,
  chunks: readonly ChunkForPrompt[],
): string {
  const base = (basePrompt?.trim() || USER_CHAT_PROMPT).trim();
  if (chunks.length === 0) return `${base}\n\nKNOWLEDGE:\n(The owner has not added any knowledge yet.)`;
  const sections = chunks.map((c) => `### ${c.question.trim()}\n${c.text.trim()}`);
  return `${base}\n\nKNOWLEDGE:\n\n${sections.join("\n\n")}`;
}

/** The admin prompt with the current chunk list appended. */
export function assembleAdminPrompt(chunks: readonly ChunkForPrompt[]): string {
  const list =
    chunks.length === 0
      ? "(no chunks yet)"
      : chunks
          .map((c) => {
            const preview = c.text.length > PREVIEW_CHARS ? `${c.text.slice(0, PREVIEW_CHARS)}…` : c.text;
            return `- id=${c.id} position=${c.position}\n  question: ${c.question}\n  text: ${preview.replace(/\s+/g, " ")}`;
          })
          .join("\n");
  return `${ADMIN_CHAT_PROMPT.trim()}\n\nCURRENT CHUNKS (${chunks.length}):\n${list}`;
}
