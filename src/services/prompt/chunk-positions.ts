/**
 * The mechanics of chunk positions and prompt versions that every chunk change shares (add, edit,
 * delete in prompt-chunks.ts, restore in chunk-restore.ts): the per-tenant lock, the dense 1-based
 * positions, and the version bump that tells cached prompts they are stale.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client.ts";
import { promptChunks, tenants } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";

/** The tenant's chunk with this id, or undefined: the read every change makes under the lock. */
export async function findChunk(
  tx: Queryable,
  tenantId: string,
  chunkId: string,
): Promise<typeof promptChunks.$inferSelect | undefined> {
  const [row] = await tx
    .select()
    .from(promptChunks)
    .where(and(eq(promptChunks.id, chunkId), eq(promptChunks.tenantId, tenantId)))
    .limit(1);
  return row;
}

/** Marks every cached copy of the tenant's prompt stale (call inside the change's transaction). */
export async function bumpPromptVersion(tx: Queryable, tenantId: string): Promise<number> {
  const [row] = await tx
    .update(tenants)
    .set({ promptVersion: sql`${tenants.promptVersion} + 1`, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId))
    .returning({ version: tenants.promptVersion });
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.version;
}

/** Locks the tenant row: chunk changes of one tenant happen one at a time, so positions stay dense. */
export async function lockTenantChunks(tx: Queryable, tenantId: string): Promise<void> {
  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for("update");
}

/** How many chunks the tenant has. */
export async function countChunks(tx: Queryable, tenantId: string): Promise<number> {
  const [{ count = 0 } = {}] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(promptChunks)
    .where(eq(promptChunks.tenantId, tenantId));
  return count;
}

/** Shifts the chunks between `from` and `to` by one place, making room for a chunk moving `from` -> `to`. */
export async function shiftForMove(tx: Queryable, tenantId: string, from: number, to: number): Promise<void> {
  if (to < from) {
    await tx
      .update(promptChunks)
      .set({ position: sql`${promptChunks.position} + 1` })
      .where(
        and(
          eq(promptChunks.tenantId, tenantId),
          sql`${promptChunks.position} >= ${to} and ${promptChunks.position} < ${from}`,
        ),
      );
  } else if (to > from) {
    await tx
      .update(promptChunks)
      .set({ position: sql`${promptChunks.position} - 1` })
      .where(
        and(
          eq(promptChunks.tenantId, tenantId),
          sql`${promptChunks.position} > ${from} and ${promptChunks.position} <= ${to}`,
        ),
      );
  }
}

/** Moves the chunks at `position` and after one place down, making room for a new chunk there. */
export async function openGapAt(tx: Queryable, tenantId: string, position: number): Promise<void> {
  await tx
    .update(promptChunks)
    .set({ position: sql`${promptChunks.position} + 1` })
    .where(and(eq(promptChunks.tenantId, tenantId), sql`${promptChunks.position} >= ${position}`));
}

/** Positions are 1-based and dense; anything outside 1..max lands at the nearest end. */
export function clampPosition(position: number | undefined, max: number): number {
  if (position === undefined || !Number.isFinite(position)) return max;
  return Math.min(Math.max(1, Math.trunc(position)), Math.max(1, max));
}
