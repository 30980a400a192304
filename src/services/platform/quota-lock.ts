/**
 * Quota checks count what is stored, then the caller inserts: two concurrent uploads of one tenant
 * could both count under the limit and both insert. A transaction-scoped advisory lock per tenant and
 * quota makes them take turns: the second counts only after the first's transaction (its insert
 * included) has committed or rolled back. The request's queries share one transaction
 * (src/middleware/database), so the lock holds from the check through the insert to the commit.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/client.ts";

/** What a lock guards: a content quota, or the tenant's stored bytes. */
export type QuotaLockKind = "documents" | "galleries" | "images_per_gallery" | "storage_bytes";

/**
 * Waits for, then holds until the transaction ends, the lock on `tenantId`'s `kind` quota. Callers that
 * take two take the count quota's first and `storage_bytes` last, so no two requests wait on each other
 * in a cycle. A hash collision between two keys only makes unrelated uploads take turns.
 */
export async function lockQuota(db: Queryable, tenantId: string, kind: QuotaLockKind): Promise<void> {
  const key = `cip.quota:${kind}:${tenantId.toLowerCase()}`;
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
