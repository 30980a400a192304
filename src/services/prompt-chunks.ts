/**
 * The tenant's prompt chunks: the owner's knowledge, in position order, that follows the base prompt in
 * every user-chat system prompt. Every change bumps `tenants.prompt_version` in the same transaction, so
 * a cached prompt (in a dialog's Durable Object) can tell it is stale with one cheap comparison.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Queryable } from "../db/client.ts";
import { promptChunks, tenants } from "../db/schema.ts";
import { AppError } from "../errors.ts";

export const CHUNK_QUESTION_MAX = 1000;
export const CHUNK_TEXT_MAX = 2000;
export const CHUNKS_PER_TENANT_MAX = 200;

export interface PromptChunk {
  id: string;
  position: number;
  question: string;
  text: string;
  created_at: string;
  updated_at: string;
}

type ChunkRow = typeof promptChunks.$inferSelect;

function toChunk(row: ChunkRow): PromptChunk {
  return {
    id: row.id,
    position: row.position,
    question: row.question,
    text: row.text,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function checkLengths(input: { question?: string | undefined; text?: string | undefined }): void {
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

async function bumpPromptVersion(tx: Queryable, tenantId: string): Promise<number> {
  const [row] = await tx
    .update(tenants)
    .set({ promptVersion: sql`${tenants.promptVersion} + 1`, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId))
    .returning({ version: tenants.promptVersion });
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.version;
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

/** Adds a chunk at `position` (default: last); later chunks move down one place. */
export async function addChunk(
  db: Database,
  tenantId: string,
  input: { question: string; text: string; position?: number | undefined },
): Promise<PromptChunk> {
  checkLengths(input);
  return db.transaction(async (tx) => {
    // Lock the tenant row: chunk changes of one tenant happen one at a time, so positions stay dense.
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
    const [{ count = 0 } = {}] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(promptChunks)
      .where(eq(promptChunks.tenantId, tenantId));
    if (count >= CHUNKS_PER_TENANT_MAX) {
      throw new AppError("conflict", `A tenant can have at most ${CHUNKS_PER_TENANT_MAX} chunks.`);
    }
    const position = clampPosition(input.position, count + 1);
    await tx
      .update(promptChunks)
      .set({ position: sql`${promptChunks.position} + 1` })
      .where(and(eq(promptChunks.tenantId, tenantId), sql`${promptChunks.position} >= ${position}`));
    const [row] = await tx
      .insert(promptChunks)
      .values({ tenantId, position, question: input.question, text: input.text })
      .returning();
    if (!row) throw new Error("chunk insert returned nothing");
    await bumpPromptVersion(tx, tenantId);
    return toChunk(row);
  });
}

/** Changes a chunk's question, text or position (moving it shifts the ones in between). */
export async function updateChunk(
  db: Database,
  tenantId: string,
  chunkId: string,
  patch: { question?: string | undefined; text?: string | undefined; position?: number | undefined },
): Promise<PromptChunk> {
  checkLengths(patch);
  return db.transaction(async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
    const [current] = await tx
      .select()
      .from(promptChunks)
      .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
      .limit(1);
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
      const [{ count = 0 } = {}] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(promptChunks)
        .where(eq(promptChunks.tenantId, tenantId));
      const target = clampPosition(patch.position, count);
      const from = current.position;
      if (target < from) {
        await tx
          .update(promptChunks)
          .set({ position: sql`${promptChunks.position} + 1` })
          .where(
            and(
              eq(promptChunks.tenantId, tenantId),
              sql`${promptChunks.position} >= ${target} and ${promptChunks.position} < ${from}`,
            ),
          );
      } else if (target > from) {
        await tx
          .update(promptChunks)
          .set({ position: sql`${promptChunks.position} - 1` })
          .where(
            and(
              eq(promptChunks.tenantId, tenantId),
              sql`${promptChunks.position} > ${from} and ${promptChunks.position} <= ${target}`,
            ),
          );
      }
      changes.position = target;
    }
    const [row] = await tx
      .update(promptChunks)
      .set(changes)
      .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
      .returning();
    if (!row) throw new AppError("not_found", "No such chunk.");
    await bumpPromptVersion(tx, tenantId);
    return toChunk(row);
  });
}

/** Deletes a chunk; later chunks move up one place. */
export async function deleteChunk(db: Database, tenantId: string, chunkId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
    const [gone] = await tx
      .delete(promptChunks)
      .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
      .returning({ position: promptChunks.position });
    if (!gone) throw new AppError("not_found", "No such chunk.");
    await tx
      .update(promptChunks)
      .set({ position: sql`${promptChunks.position} - 1` })
      .where(and(eq(promptChunks.tenantId, tenantId), sql`${promptChunks.position} > ${gone.position}`));
    await bumpPromptVersion(tx, tenantId);
  });
}

/** Positions are 1-based and dense; anything outside 1..max lands at the nearest end. */
function clampPosition(position: number | undefined, max: number): number {
  if (position === undefined || !Number.isFinite(position)) return max;
  return Math.min(Math.max(1, Math.trunc(position)), Math.max(1, max));
}
