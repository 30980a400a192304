/**
 * Restoring a prompt revision in one step: the chunk gets that revision's state back (question, text and
 * position), or comes back to life under its old id when it was deleted since. The restore is a change
 * like any other: one transaction with the tenant locked, the prompt version bumped, and a `restore`
 * revision recorded. The caller drops the cached prompt after the commit.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { promptChunkRevisions, promptChunks } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import {
  bumpPromptVersion,
  clampPosition,
  countChunks,
  findChunk,
  lockTenantChunks,
  openGapAt,
  shiftForMove,
} from "./chunk-positions.ts";
import {
  type ChangeOrigin,
  type ChunkRevision,
  type ChunkState,
  findRevision,
  recordRevision,
  sameState,
  stateOf,
} from "./chunk-revisions.ts";
import {
  CHUNKS_PER_TENANT_MAX,
  checkLengths,
  type PromptChunk,
  requireRoomForChunk,
  toChunk,
} from "./prompt-chunks.ts";

/** The chunk after the restore, and the `restore` revision (null when the chunk already had that state). */
export interface RestoreResult {
  chunk: PromptChunk;
  revision: ChunkRevision | null;
}

/** The state a revision stands for: what it left behind, or for a deletion what was deleted. */
function targetState(action: string, before: ChunkState | null, after: ChunkState | null): ChunkState {
  const state = action === "delete" ? before : after;
  if (!state) throw new AppError("conflict", "This revision holds no chunk state to restore.");
  return state;
}

/**
 * Puts the revision's chunk back to the revision's state; unknown or foreign revisions are 404.
 * Re-creating a deleted chunk counts against `maxChunks`, the tenant's chunk quota (quotas.ts), like
 * `addChunk`: 409 `quota_exceeded` when the tenant is at it.
 */
export async function restoreRevision(
  db: Database,
  tenantId: string,
  revisionId: string,
  origin: ChangeOrigin,
  maxChunks = CHUNKS_PER_TENANT_MAX,
): Promise<RestoreResult> {
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const [revision] = await tx
      .select()
      .from(promptChunkRevisions)
      .where(and(eq(promptChunkRevisions.id, revisionId), eq(promptChunkRevisions.tenantId, tenantId)))
      .limit(1);
    if (!revision) throw new AppError("not_found", "No such revision.");
    const target = targetState(revision.action, revision.before ?? null, revision.after ?? null);
    // The limits may have tightened since the revision was written.
    checkLengths(target);

    const current = await findChunk(tx, tenantId, revision.chunkId);
    const count = await countChunks(tx, tenantId);
    let row: typeof promptChunks.$inferSelect | undefined;
    if (current) {
      const position = clampPosition(target.position, count);
      if (sameState(stateOf(current), { ...target, position }))
        return { chunk: toChunk(current), revision: null };
      await shiftForMove(tx, tenantId, current.position, position);
      [row] = await tx
        .update(promptChunks)
        .set({ question: target.question, text: target.text, position, updatedAt: new Date() })
        .where(and(eq(promptChunks.id, current.id), eq(promptChunks.tenantId, tenantId)))
        .returning();
    } else {
      requireRoomForChunk(count, maxChunks);
      const position = clampPosition(target.position, count + 1);
      await openGapAt(tx, tenantId, position);
      const values = { tenantId, position, question: target.question, text: target.text };
      // The old id when it is free (so links and history stay joined), a new one in the unlikely case not.
      [row] = await tx
        .insert(promptChunks)
        .values({ id: revision.chunkId, ...values })
        .onConflictDoNothing({ target: promptChunks.id })
        .returning();
      if (!row) [row] = await tx.insert(promptChunks).values(values).returning();
    }
    if (!row) throw new Error("chunk restore wrote nothing");
    await bumpPromptVersion(tx, tenantId);
    const before = current ? stateOf(current) : null;
    const id = await recordRevision(tx, tenantId, row.id, "restore", before, stateOf(row), origin);
    return { chunk: toChunk(row), revision: (await findRevision(tx, tenantId, id)) ?? null };
  });
}
