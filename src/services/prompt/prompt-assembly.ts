/**
 * The user-chat system prompt as the next chat turn gets it: the base prompt (the tenant's
 * `settings.basePrompt` or prompts/user_chat_prompt.txt) followed by the chunks in position order, built
 * by the chat core's `assembleUserPrompt` so the cabinet preview and the chat can never differ.
 * Every chunk change bumps `tenants.prompt_version` in its transaction and then drops the tenant's cached
 * snapshot (`invalidatePromptCache`), so the next turn reads the new prompt.
 */
import { asc, eq } from "drizzle-orm";
import { assembleUserPrompt as assemble } from "../../chat/system-prompt.ts";
import type { Database } from "../../db/client.ts";
import { promptChunks, tenants } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import type { PromptChunk } from "./prompt-chunks.ts";

/** The parts of a chunk the prompt uses. */
export type PromptChunkText = Pick<PromptChunk, "id" | "position" | "question" | "text">;

/** An assembled prompt, the `tenants.prompt_version` it reflects, and how many chunks it holds. */
export interface UserPrompt {
  prompt: string;
  version: number;
  chunkCount: number;
}

/** Base prompt (empty: the default one), then one `### question` section per chunk in position order. */
export function assembleUserPrompt(base: string, chunks: PromptChunkText[]): string {
  return assemble(
    base,
    [...chunks].sort((a, b) => a.position - b.position),
  );
}

/**
 * The tenant's current user-chat prompt and its version, read in one statement (one snapshot), so the
 * text is never older than the version it is reported with.
 */
export async function loadUserPrompt(db: Database, tenantId: string): Promise<UserPrompt> {
  const rows = await db
    .select({
      version: tenants.promptVersion,
      settings: tenants.settings,
      id: promptChunks.id,
      position: promptChunks.position,
      question: promptChunks.question,
      text: promptChunks.text,
    })
    .from(tenants)
    .leftJoin(promptChunks, eq(promptChunks.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
    .orderBy(asc(promptChunks.position), asc(promptChunks.createdAt), asc(promptChunks.id));
  const first = rows[0];
  if (!first) throw new AppError("tenant_not_found", "No such tenant.");
  const chunks: PromptChunkText[] = [];
  for (const { id, position, question, text } of rows) {
    if (id !== null && position !== null && question !== null && text !== null) {
      chunks.push({ id, position, question, text });
    }
  }
  return {
    prompt: assembleUserPrompt(first.settings.basePrompt ?? "", chunks),
    version: first.version,
    chunkCount: chunks.length,
  };
}

/** What `invalidatePromptCache` needs of a request: the binding, and a way to commit first. */
export interface PromptChangeScope {
  env: Pick<Bindings, "TENANTS">;
  var: { commit: () => Promise<void> };
}

/**
 * Commits the request's change, then drops the tenant's cached prompt snapshot (its TenantObject), so
 * the next chat turn reloads it (committing first: the reload must see the change). A failure to drop is
 * logged, not thrown: the change is stored, and the snapshot's maximum age bounds a missed invalidation.
 */
export async function invalidatePromptCache(scope: PromptChangeScope, tenantId: string): Promise<void> {
  await scope.var.commit();
  const env = scope.env;
  try {
    await env.TENANTS.getByName(tenantId).invalidate();
  } catch (err) {
    log("error", "prompt cache invalidation failed", {
      tenantId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
