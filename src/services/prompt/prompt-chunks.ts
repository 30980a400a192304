/**
 * The tenant's prompt chunks: the owner's knowledge, in position order, that follows the base prompt in
 * every user-chat system prompt. Every change bumps `tenants.prompt_version` in the same transaction, so
 * a cached prompt (in a dialog's Durable Object) can tell it is stale with one cheap comparison, and
 * writes a `prompt_chunk_revisions` row in that transaction too, so the history cannot miss a change.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { promptChunks } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { CHUNK_QUESTION_MAX, CHUNK_TEXT_MAX, CHUNKS_PER_TENANT_MAX } from "../../schemas/limits.ts";
import { quotaExceeded } from "../platform/quotas.ts";
import {
  bumpPromptVersion,
  clampPosition,
  countChunks,
  findChunk,
  lockTenantChunks,
  openGapAt,
  shiftForMove,
} from "./chunk-positions.ts";
import { type ChangeOrigin, recordRevision, sameState, stateOf } from "./chunk-revisions.ts";

export type { ChangeOrigin };

export { CHUNK_QUESTION_MAX, CHUNK_TEXT_MAX, CHUNKS_PER_TENANT_MAX };

export interface PromptChunk {
  id: string;
  position: number;
  question: string;
  text: string;
  created_at: string;
  updated_at: string;
}

type ChunkRow = typeof promptChunks.$inferSelect;

/** The API shape of a chunk row. */
export function toChunk(row: ChunkRow): PromptChunk {
  return {
    id: row.id,
    position: row.position,
    question: row.question,
    text: row.text,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The chunk length and character rules, as a 422 naming the field. */
export function checkLengths(input: { question?: string | undefined; text?: string | undefined }): void {
  const issues = [];
  if (input.question !== undefined && [...input.question].length > CHUNK_QUESTION_MAX) {
    issues.push({ path: "question", message: `At most ${CHUNK_QUESTION_MAX} characters.` });
  }
  if (input.text !== undefined && [...input.text].length > CHUNK_TEXT_MAX) {
    issues.push({ path: "text", message: `At most ${CHUNK_TEXT_MAX} characters.` });
  }
  // Postgres text cannot hold NUL: refuse it here rather than fail inside the transaction with a 500.
  for (const field of ["question", "text"] as const) {
    if (input[field]?.includes("\u0000"))
      issues.push({ path: field, message: "Must not contain NUL characters." });
  }
  if (issues.length > 0) throw new AppError("validation_failed", "The chunk is not valid.", { issues });
}

/** The chunks in prompt order. */
export async function listChunks(db: Database, tenantId: string): Promise<PromptChunk[]> {
  const rows = await db
    .select()
    .from(promptChunks)
    .where(eq(promptChunks.tenantId, tenantId))
    .orderBy(asc(promptChunks.position), asc(promptChunks.createdAt), asc(promptChunks.id));
  return rows.map(toChunk);
}

/**
 * Throws `quota_exceeded` (quota `chunks`) when a tenant that has `count` chunks may not get one more;
 * `max` is the tenant's chunk quota (src/services/platform/quotas.ts), the platform default when unknown.
 */
export function requireRoomForChunk(count: number, max = CHUNKS_PER_TENANT_MAX): void {
  if (count >= max) throw quotaExceeded("chunks", max);
}

/** Adds a chunk at `position` (default: last); later chunks move down one place. */
export async function addChunk(
  db: Database,
  tenantId: string,
  input: { question: string; text: string; position?: number | undefined },
  origin: ChangeOrigin,
  maxChunks = CHUNKS_PER_TENANT_MAX,
): Promise<PromptChunk> {
  checkLengths(input);
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const count = await countChunks(tx, tenantId);
    requireRoomForChunk(count, maxChunks);
    const position = clampPosition(input.position, count + 1);
    await openGapAt(tx, tenantId, position);
    const [row] = await tx
      .insert(promptChunks)
      .values({ tenantId, position, question: input.question, text: input.text })
      .returning();
    if (!row) throw new Error("chunk insert returned nothing");
    await bumpPromptVersion(tx, tenantId);
    await recordRevision(tx, tenantId, row.id, "create", null, stateOf(row), origin);
    return toChunk(row);
  });
}

/** Changes a chunk's question, text or position (moving it shifts the ones in between). */
export async function updateChunk(
  db: Database,
  tenantId: string,
  chunkId: string,
  patch: { question?: string | undefined; text?: string | undefined; position?: number | undefined },
  origin: ChangeOrigin,
): Promise<PromptChunk> {
  checkLengths(patch);
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const current = await findChunk(tx, tenantId, chunkId);
    if (!current) throw new AppError("not_found", "No such chunk.");
    const changes: Partial<typeof promptChunks.$inferInsert> = { updatedAt: new Date() };
    if (patch.question !== undefined) changes.question = patch.question;
    if (patch.text !== undefined) changes.text = patch.text;
    // A non-finite position (e.g. Number("abc") from a command argument) means "do not move".
    if (
      patch.position !== undefined &&
      Number.isFinite(patch.position) &&
      patch.position !== current.position
    ) {
      const target = clampPosition(patch.position, await countChunks(tx, tenantId));
      await shiftForMove(tx, tenantId, current.position, target);
      changes.position = target;
    }
    const [row] = await tx
      .update(promptChunks)
      .set(changes)
      .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
      .returning();
    if (!row) throw new AppError("not_found", "No such chunk.");
    await bumpPromptVersion(tx, tenantId);
    // Only the chunk that was asked to change gets a revision; neighbours shifted by a move do not.
    if (!sameState(stateOf(current), stateOf(row))) {
      await recordRevision(tx, tenantId, row.id, "update", stateOf(current), stateOf(row), origin);
    }
    return toChunk(row);
  });
}

/** Deletes a chunk and returns it; later chunks move up one place. */
export async function deleteChunk(
  db: Database,
  tenantId: string,
  chunkId: string,
  origin: ChangeOrigin,
): Promise<PromptChunk> {
  return db.transaction(async (tx) => {
    await lockTenantChunks(tx, tenantId);
    const [gone] = await tx
      .delete(promptChunks)
      .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
      .returning();
    if (!gone) throw new AppError("not_found", "No such chunk.");
    await tx
      .update(promptChunks)
      .set({ position: sql`${promptChunks.position} - 1` })
      .where(and(eq(promptChunks.tenantId, tenantId), sql`${promptChunks.position} > ${gone.position}`));
    await bumpPromptVersion(tx, tenantId);
    await recordRevision(tx, tenantId, gone.id, "delete", stateOf(gone), null, origin);
    return toChunk(gone);
  });
}
