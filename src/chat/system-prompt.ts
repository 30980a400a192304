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

/** A gallery or document as the admin prompt names it (id, title, a one-line description). */
export interface KnowledgeItemForPrompt {
  id: string;
  title: string;
  description?: string | null;
}

/** The tenant's galleries and documents the setup bot may point visitors to. */
export interface KnowledgeForPrompt {
  galleries: readonly KnowledgeItemForPrompt[];
  documents: readonly KnowledgeItemForPrompt[];
}

/** At most this many galleries and this many documents are listed, so the prompt stays small. */
export const ADMIN_KNOWLEDGE_MAX = 50;
const DESCRIPTION_CHARS = 120;

/** One line, at most `max` characters (an ellipsis marks a cut). */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function knowledgeList(kind: string, idName: string, items: readonly KnowledgeItemForPrompt[]): string {
  const shown = items.slice(0, ADMIN_KNOWLEDGE_MAX);
  const lines = shown.map((i) => {
    const about = i.description ? oneLine(i.description, DESCRIPTION_CHARS) : "";
    return `- ${idName}=${i.id} «${oneLine(i.title, 200)}»${about ? ` — ${about}` : ""}`;
  });
  // The snapshot reads one item past the bound: more than ADMIN_KNOWLEDGE_MAX exist, the rest unlisted.
  const more = items.length > shown.length ? "\n(more exist; only these are listed)" : "";
  return `${kind}:\n${lines.length ? lines.join("\n") : "(none)"}${more}`;
}

/**
 * The admin prompt with the current chunk list appended, then the tenant's galleries and documents
 * (bounded: ADMIN_KNOWLEDGE_MAX each, one line per item) so the bot can write chunks that show them.
 */
export function assembleAdminPrompt(
  chunks: readonly ChunkForPrompt[],
  knowledge: KnowledgeForPrompt = { galleries: [], documents: [] },
): string {
  const list =
    chunks.length === 0
      ? "(no chunks yet)"
      : chunks
          .map((c) => {
            const preview = c.text.length > PREVIEW_CHARS ? `${c.text.slice(0, PREVIEW_CHARS)}…` : c.text;
            return `- id=${c.id} position=${c.position}\n  question: ${c.question}\n  text: ${preview.replace(/\s+/g, " ")}`;
          })
          .join("\n");
  const galleries = knowledgeList("GALLERIES", "group_id", knowledge.galleries);
  const documents = knowledgeList("DOCUMENTS", "document_id", knowledge.documents);
  return `${ADMIN_CHAT_PROMPT.trim()}\n\nCURRENT CHUNKS (${chunks.length}):\n${list}\n\n${galleries}\n\n${documents}`;
}
