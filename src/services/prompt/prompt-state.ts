/**
 * A tenant's prompt as one value: the base prompt, the welcome text, the starters and the chunks. The
 * draft is what the editing surfaces hold (`prompt_chunks`, `tenants.settings`); a release is a frozen copy
 * of it in `prompt_releases` (migration 0014), and the newest release is what visitors get
 * (docs/cabinet.md "Draft and publish").
 */
import type { z } from "@hono/zod-openapi";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client.ts";
import { promptReleases, type ReleasedChunk, users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { type DiffLine, diffLines } from "../../lib/line-diff.ts";
import type { PromptDraftSchema } from "../../schemas/prompt-release.ts";
import { assembleUserPrompt } from "./prompt-assembly.ts";

export type { ReleasedChunk };

/** The four parts of a prompt. `basePrompt` '' stands for the platform's default. */
export interface PromptState {
  basePrompt: string;
  welcomeText: string | null;
  starters: string[];
  /** In position order. */
  chunks: ReleasedChunk[];
}

/** A published version. */
export interface Release extends PromptState {
  version: number;
  publishedAt: string;
  publishedBy: { id: string; email: string } | null;
  restoredFrom: number | null;
}

/** What differs between the published prompt and the draft (the API's `changes`). */
export type PromptChanges = z.infer<typeof PromptDraftSchema>["changes"];

/** The published prompt, the draft, whether they differ, and the line diff of the assembled prompts. */
export interface DraftComparison {
  changes: PromptChanges;
  has_changes: boolean;
  diff: DiffLine[];
  /** False when the prompts differ so much that the diff is "all removed, all added" (line-diff.ts). */
  diff_exact: boolean;
}

/** The empty prompt: what a tenant that never published shows its visitors. */
export const EMPTY_PROMPT: PromptState = { basePrompt: "", welcomeText: null, starters: [], chunks: [] };

/** The tenant's draft, read in one statement (settings and chunks from one snapshot). */
export async function readDraft(db: Queryable, tenantId: string): Promise<PromptState> {
  const result = await db.execute<{ settings: Record<string, unknown>; chunks: ReleasedChunk[] }>(sql`
    select t.settings, coalesce((select json_agg(json_build_object('id', c.id, 'position', c.position,
        'question', c.question, 'text', c.text) order by c.position, c.created_at, c.id)
      from prompt_chunks c where c.tenant_id = t.id), '[]'::json) as chunks
    from tenants t where t.id = ${tenantId}`);
  const row = result.rows[0];
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  const s = row.settings ?? {};
  return {
    basePrompt: typeof s.basePrompt === "string" ? s.basePrompt.trim() : "",
    welcomeText: typeof s.welcomeText === "string" && s.welcomeText.trim() ? s.welcomeText : null,
    starters: Array.isArray(s.starters) ? s.starters.filter((x): x is string => typeof x === "string") : [],
    chunks: row.chunks,
  };
}

/** A release by version, or the live (newest) one without a version; null when there is none. */
export async function readRelease(
  db: Queryable,
  tenantId: string,
  version?: number,
): Promise<Release | null> {
  const where =
    version === undefined
      ? eq(promptReleases.tenantId, tenantId)
      : and(eq(promptReleases.tenantId, tenantId), eq(promptReleases.version, version));
  const [row] = await db
    .select({ release: promptReleases, email: users.email })
    .from(promptReleases)
    .leftJoin(users, eq(users.id, promptReleases.publishedBy))
    .where(where)
    .orderBy(desc(promptReleases.version))
    .limit(1);
  if (!row) return null;
  const r = row.release;
  return {
    version: r.version,
    basePrompt: r.basePrompt,
    welcomeText: r.welcomeText,
    starters: r.starters,
    chunks: r.chunks,
    publishedAt: r.createdAt.toISOString(),
    publishedBy: r.publishedBy && row.email ? { id: r.publishedBy, email: row.email } : null,
    restoredFrom: r.restoredFrom,
  };
}

/** The system prompt a state gives the visitor bot (without the MCP tools section). */
export function assembledPrompt(state: PromptState): string {
  return assembleUserPrompt(state.basePrompt, state.chunks);
}

function sameChunk(a: ReleasedChunk, b: ReleasedChunk): boolean {
  return a.question === b.question && a.text === b.text;
}

/** Compares a published state (null: never published) with the draft. */
export function compareDraft(published: PromptState | null, draft: PromptState): DraftComparison {
  const before = published ?? EMPTY_PROMPT;
  const draftIds = new Set(draft.chunks.map((c) => c.id));
  const oldById = new Map(before.chunks.map((c) => [c.id, c]));
  // Order is compared among the chunks both sides hold, so an added or removed one moves nothing.
  const keptBefore = before.chunks.filter((c) => draftIds.has(c.id)).map((c) => c.id);
  const keptAfter = draft.chunks.filter((c) => oldById.has(c.id)).map((c) => c.id);
  const changes: PromptChanges = {
    base_prompt: before.basePrompt !== draft.basePrompt,
    welcome_text: (before.welcomeText ?? null) !== (draft.welcomeText ?? null),
    starters: JSON.stringify(before.starters) !== JSON.stringify(draft.starters),
    chunks_added: draft.chunks.length - keptAfter.length,
    chunks_removed: before.chunks.length - keptBefore.length,
    chunks_changed: draft.chunks.filter((c) => {
      const was = oldById.get(c.id);
      return was !== undefined && !sameChunk(was, c);
    }).length,
    chunks_moved: keptAfter.filter((id, i) => keptBefore[i] !== id).length,
  };
  const { lines, exact } = diffLines(assembledPrompt(before), assembledPrompt(draft));
  const has_changes =
    published === null ||
    changes.base_prompt ||
    changes.welcome_text ||
    changes.starters ||
    changes.chunks_added + changes.chunks_removed + changes.chunks_changed + changes.chunks_moved > 0;
  return { changes, has_changes, diff: lines, diff_exact: exact };
}

/** What visitors see of the live release before they write: its welcome text and starters. */
export interface PublishedFace {
  welcomeText: string | null;
  starters: string[];
}

/** The live release's welcome text and starters (none when nothing was published). */
export async function readPublishedFace(db: Queryable, tenantId: string): Promise<PublishedFace> {
  const [row] = await db
    .select({ welcomeText: promptReleases.welcomeText, starters: promptReleases.starters })
    .from(promptReleases)
    .where(eq(promptReleases.tenantId, tenantId))
    .orderBy(desc(promptReleases.version))
    .limit(1);
  return { welcomeText: row?.welcomeText ?? null, starters: row?.starters ?? [] };
}
