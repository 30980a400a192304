/**
 * Publish, discard, restore (docs/cabinet.md "Draft and publish"). Each runs in one transaction with the
 * tenant row locked, like every chunk change, so a publish freezes exactly one draft and a discard never
 * interleaves with an edit. The caller drops the cached prompt after the commit (`invalidatePromptCache`).
 */
import { desc, eq, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client.ts";
import { promptReleases, users } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { storedBase } from "./base-prompt.ts";
import { recordBaseRevision } from "./base-prompt-revisions.ts";
import { bumpPromptVersion, lockTenantChunks } from "./chunk-positions.ts";
import type { ChangeOrigin } from "./chunk-revisions.ts";
import { compareDraft, type PromptState, type Release, readDraft, readRelease } from "./prompt-state.ts";

/** A release in the list: who published it and when, without its texts. */
export interface ReleaseSummary {
  version: number;
  published_at: string;
  published_by: { id: string; email: string } | null;
  restored_from: number | null;
  chunk_count: number;
  live: boolean;
}

/**
 * Freezes the draft as the next release. Refuses with `conflict` when the draft equals the live release
 * (nothing to publish); the first publish of a tenant always goes through.
 */
export function publishDraft(
  db: Database,
  tenantId: string,
  userId: string,
  restoredFrom: number | null = null,
): Promise<Release> {
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    return publishLocked(tx, tenantId, userId, restoredFrom);
  });
}

async function publishLocked(
  tx: Queryable,
  tenantId: string,
  userId: string,
  restoredFrom: number | null,
): Promise<Release> {
  const [draft, live] = await Promise.all([readDraft(tx, tenantId), readRelease(tx, tenantId)]);
  if (live && !compareDraft(live, draft).has_changes)
    throw new AppError("conflict", `The draft is the same as the published version ${live.version}.`);
  const version = (live?.version ?? 0) + 1;
  await tx.insert(promptReleases).values({
    tenantId,
    version,
    basePrompt: draft.basePrompt,
    welcomeText: draft.welcomeText,
    starters: draft.starters,
    chunks: draft.chunks,
    publishedBy: userId,
    restoredFrom,
  });
  await bumpPromptVersion(tx, tenantId);
  const release = await readRelease(tx, tenantId, version);
  if (!release) throw new Error("release insert not visible");
  return release;
}

/** Drops the draft: the editing surfaces go back to the live release. `conflict` when none exists. */
export function discardDraft(db: Database, tenantId: string, origin: ChangeOrigin): Promise<Release> {
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const live = await readRelease(tx, tenantId);
    if (!live)
      throw new AppError(
        "conflict",
        "Nothing was published yet: there is no published version to go back to.",
      );
    await resetDraftTo(tx, tenantId, live, origin);
    return live;
  });
}

/**
 * Copies a published version into the draft; with `publish`, makes it live in the same transaction (the
 * new release records which version it restored). Unknown versions are 404.
 */
export function restoreRelease(
  db: Database,
  tenantId: string,
  version: number,
  origin: ChangeOrigin & { authorId: string },
  publish: boolean,
): Promise<{ restored: Release; published: Release | null }> {
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const restored = await readRelease(tx, tenantId, version);
    if (!restored) throw new AppError("not_found", `No published version ${version}.`);
    await resetDraftTo(tx, tenantId, restored, origin);
    if (!publish) return { restored, published: null };
    const live = await readRelease(tx, tenantId);
    // Restoring the live version itself changes nothing visitors see: no new release for it.
    if (live && !compareDraft(live, restored).has_changes) return { restored, published: null };
    return { restored, published: await publishLocked(tx, tenantId, origin.authorId, version) };
  });
}

/** Every release of the tenant, newest (live) first. */
export async function listReleases(db: Queryable, tenantId: string): Promise<ReleaseSummary[]> {
  const rows = await db
    .select({
      version: promptReleases.version,
      createdAt: promptReleases.createdAt,
      publishedBy: promptReleases.publishedBy,
      email: users.email,
      restoredFrom: promptReleases.restoredFrom,
      chunkCount: sql<number>`jsonb_array_length(${promptReleases.chunks})::int`,
    })
    .from(promptReleases)
    .leftJoin(users, eq(users.id, promptReleases.publishedBy))
    .where(eq(promptReleases.tenantId, tenantId))
    .orderBy(desc(promptReleases.version));
  return rows.map((r, i) => ({
    version: r.version,
    published_at: r.createdAt.toISOString(),
    published_by: r.publishedBy && r.email ? { id: r.publishedBy, email: r.email } : null,
    restored_from: r.restoredFrom,
    chunk_count: r.chunkCount,
    live: i === 0,
  }));
}

/**
 * Makes the editing surfaces hold `state`: chunks not in it are deleted, the others inserted or updated
 * (keeping their ids, so the chunk history stays one line per chunk), each change written to the chunk
 * history as a `restore` or `delete`; the base prompt change gets its own history row.
 */
async function resetDraftTo(tx: Queryable, tenantId: string, state: PromptState, origin: ChangeOrigin) {
  const baseBefore = await storedBase(tx, tenantId);
  const chunks = JSON.stringify(state.chunks);
  await tx.execute(sql`
    with r as (
      select * from jsonb_to_recordset(${chunks}::jsonb) as x(id uuid, position int, question text, text text)
    ), cur as (
      select id, position, question, text from prompt_chunks where tenant_id = ${tenantId}
    ), gone as (
      delete from prompt_chunks c where c.tenant_id = ${tenantId} and c.id not in (select id from r)
      returning c.id, c.position, c.question, c.text
    ), put as (
      insert into prompt_chunks (id, tenant_id, position, question, text)
      select r.id, ${tenantId}::uuid, r.position, r.question, r.text from r
      on conflict (id) do update set position = excluded.position, question = excluded.question,
        text = excluded.text, updated_at = now()
      where prompt_chunks.tenant_id = ${tenantId}
        and (prompt_chunks.position, prompt_chunks.question, prompt_chunks.text)
          is distinct from (excluded.position, excluded.question, excluded.text)
      returning prompt_chunks.id, prompt_chunks.position, prompt_chunks.question, prompt_chunks.text
    )
    insert into prompt_chunk_revisions (tenant_id, chunk_id, action, before, after, author_id, channel, created_at)
    select ${tenantId}::uuid, g.id, 'delete',
      jsonb_build_object('position', g.position, 'question', g.question, 'text', g.text), null,
      ${origin.authorId}::uuid, ${origin.channel}::text, clock_timestamp()
    from gone g
    union all
    select ${tenantId}::uuid, p.id, 'restore',
      (select jsonb_build_object('position', c.position, 'question', c.question, 'text', c.text)
         from cur c where c.id = p.id),
      jsonb_build_object('position', p.position, 'question', p.question, 'text', p.text),
      ${origin.authorId}::uuid, ${origin.channel}::text, clock_timestamp()
    from put p`);
  const settings: Record<string, unknown> = {};
  if (state.basePrompt) settings.basePrompt = state.basePrompt;
  if (state.welcomeText) settings.welcomeText = state.welcomeText;
  if (state.starters.length > 0) settings.starters = state.starters;
  await tx.execute(sql`
    update tenants set settings = (coalesce(settings, '{}'::jsonb) - 'basePrompt' - 'welcomeText' - 'starters')
      || ${JSON.stringify(settings)}::jsonb, updated_at = now()
    where id = ${tenantId}`);
  if ((baseBefore ?? "") !== state.basePrompt) {
    await recordBaseRevision(tx, tenantId, "restore", baseBefore, state.basePrompt || null, origin);
  }
  await bumpPromptVersion(tx, tenantId);
}
