/**
 * The tenant's base prompt: the first part of every visitor turn's system prompt, before the chunks.
 * Stored as `tenants.settings.basePrompt` (absent: the platform's default, prompts/user_chat_prompt.txt);
 * every change writes a `base_prompt_revisions` row in its own transaction (with the tenant locked, like
 * chunk changes) and bumps `tenants.prompt_version`. The caller drops the cached prompt after the commit
 * (`invalidatePromptCache`), so the next turn of every dialog gets the new text.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client.ts";
import { basePromptRevisions, tenants } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { USER_CHAT_PROMPT } from "../../prompts/user-chat-prompt.ts";
import { BASE_PROMPT_MAX } from "../../schemas/limits.ts";
import {
  type BasePromptRevision,
  findBaseRevision,
  latestBaseChange,
  recordBaseRevision,
} from "./base-prompt-revisions.ts";
import { bumpPromptVersion, lockTenantChunks } from "./chunk-positions.ts";
import type { ChangeOrigin } from "./chunk-revisions.ts";

export { BASE_PROMPT_MAX };

/** What `GET …/me/prompt/base` answers. */
export interface BasePromptView {
  /** The tenant's own base prompt, or the platform's default when it has none. */
  text: string;
  is_default: boolean;
  /** When the base prompt last changed (null: never, the default since the tenant exists). */
  updated_at: string | null;
  limits: { max_chars: number };
}

/** A change's outcome: the new view and its revision (null when the text was already that). */
export interface BasePromptChange extends BasePromptView {
  revision: BasePromptRevision | null;
}

/** The platform's default base prompt. */
export function defaultBasePrompt(): string {
  return USER_CHAT_PROMPT.trim();
}

/** Trimmed text, null for empty (the default), refusing one over the limit or with a NUL character. */
export function normalizeBasePrompt(text: string): string | null {
  const trimmed = text.trim();
  if ([...trimmed].length > BASE_PROMPT_MAX)
    throw new AppError("validation_failed", `The base prompt is at most ${BASE_PROMPT_MAX} characters.`);
  // Postgres cannot store NUL in text or jsonb.
  if (trimmed.includes("\u0000"))
    throw new AppError("validation_failed", "The base prompt holds characters that cannot be stored.");
  return trimmed === "" ? null : trimmed;
}

/** The tenant's own base prompt as stored (trimmed), null when it uses the default. */
export async function storedBase(tx: Queryable, tenantId: string): Promise<string | null> {
  const [row] = await tx
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.settings.basePrompt?.trim() || null;
}

async function view(tx: Queryable, tenantId: string): Promise<BasePromptView> {
  const own = await storedBase(tx, tenantId);
  return {
    text: own ?? defaultBasePrompt(),
    is_default: own === null,
    updated_at: await latestBaseChange(tx, tenantId),
    limits: { max_chars: BASE_PROMPT_MAX },
  };
}

/** The tenant's base prompt (its own or the default). */
export function getBasePrompt(db: Database, tenantId: string): Promise<BasePromptView> {
  return view(db, tenantId);
}

async function write(
  tx: Queryable,
  tenantId: string,
  after: string | null,
  action: "update" | "reset" | "restore",
  origin: ChangeOrigin,
): Promise<BasePromptChange> {
  await lockTenantChunks(tx, tenantId);
  const before = await storedBase(tx, tenantId);
  if (before === after) return { ...(await view(tx, tenantId)), revision: null };
  await tx
    .update(tenants)
    .set({
      settings: sql`(coalesce(${tenants.settings}, '{}'::jsonb) - 'basePrompt') || ${JSON.stringify(
        after === null ? {} : { basePrompt: after },
      )}::jsonb`,
    })
    .where(eq(tenants.id, tenantId));
  await bumpPromptVersion(tx, tenantId);
  const id = await recordBaseRevision(tx, tenantId, action, before, after, origin);
  return { ...(await view(tx, tenantId)), revision: (await findBaseRevision(tx, tenantId, id)) ?? null };
}

/** Sets the base prompt; empty text goes back to the platform's default. */
export function setBasePrompt(
  db: Database,
  tenantId: string,
  text: string,
  origin: ChangeOrigin,
): Promise<BasePromptChange> {
  const after = normalizeBasePrompt(text);
  return db.transaction((tx) => write(tx, tenantId, after, after === null ? "reset" : "update", origin));
}

/** Puts the base prompt back to what a revision left (a `restore` revision); unknown ids are 404. */
export function restoreBasePrompt(
  db: Database,
  tenantId: string,
  revisionId: string,
  origin: ChangeOrigin,
): Promise<BasePromptChange> {
  return db.transaction(async (tx) => {
    const [revision] = await tx
      .select({ after: basePromptRevisions.after })
      .from(basePromptRevisions)
      .where(and(eq(basePromptRevisions.id, revisionId), eq(basePromptRevisions.tenantId, tenantId)))
      .limit(1);
    if (!revision) throw new AppError("not_found", "No such revision.");
    // The limit may have tightened since the revision was written.
    const after = revision.after === null ? null : normalizeBasePrompt(revision.after);
    return write(tx, tenantId, after, "restore", origin);
  });
}
