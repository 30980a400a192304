/**
 * The prompt history: one `prompt_chunk_revisions` row per chunk change, written by the change's own
 * transaction (src/services/prompt-chunks.ts), with who made it and from where (cabinet or admin chat).
 * This module writes and reads rows; restoring one is src/services/chunk-restore.ts.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { type ChunkState, promptChunkRevisions, promptChunks, users } from "../../db/schema.ts";

export type { ChunkState };
export type RevisionAction = (typeof promptChunkRevisions.$inferSelect)["action"];
export type RevisionChannel = (typeof promptChunkRevisions.$inferSelect)["channel"];

/** Who changed a chunk and through which surface; `authorId` is null only when no user is known. */
export interface ChangeOrigin {
  authorId: string | null;
  channel: RevisionChannel;
}

/** A revision as the API shows it. */
export interface ChunkRevision {
  id: string;
  chunk_id: string;
  action: RevisionAction;
  before: ChunkState | null;
  after: ChunkState | null;
  channel: RevisionChannel;
  author: { id: string; email: string; name: string | null } | null;
  /** Whether the chunk exists now (a restore of a deleted chunk re-creates it). */
  chunk_exists: boolean;
  created_at: string;
}

/** The part of a chunk row the history keeps. */
export function stateOf(row: ChunkState): ChunkState {
  return { position: row.position, question: row.question, text: row.text };
}

export function sameState(a: ChunkState | null, b: ChunkState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.position === b.position && a.question === b.question && a.text === b.text;
}

/** Writes one revision; call it inside the transaction that made the change. */
export async function recordRevision(
  tx: Queryable,
  tenantId: string,
  chunkId: string,
  action: RevisionAction,
  before: ChunkState | null,
  after: ChunkState | null,
  origin: ChangeOrigin,
): Promise<string> {
  const [row] = await tx
    .insert(promptChunkRevisions)
    .values({
      tenantId,
      chunkId,
      action,
      before,
      after,
      authorId: origin.authorId,
      channel: origin.channel,
      // Not now(): that is the transaction's start, and with the request-wide transactions of row-level
      // security two changes in one transaction would tie; the history's order must follow the changes.
      createdAt: sql`clock_timestamp()`,
    })
    .returning({ id: promptChunkRevisions.id });
  if (!row) throw new Error("revision insert returned nothing");
  return row.id;
}

const columns = {
  id: promptChunkRevisions.id,
  chunkId: promptChunkRevisions.chunkId,
  action: promptChunkRevisions.action,
  before: promptChunkRevisions.before,
  after: promptChunkRevisions.after,
  channel: promptChunkRevisions.channel,
  authorId: users.id,
  authorEmail: users.email,
  authorName: users.name,
  liveChunk: promptChunks.id,
  at: exactTimestamp(promptChunkRevisions.createdAt),
};

/** Revisions of the tenant matching `where`, newest first, with their author and whether the chunk lives. */
function selectRevisions(db: Queryable, tenantId: string, where: SQL | undefined) {
  return db
    .select(columns)
    .from(promptChunkRevisions)
    .leftJoin(
      users,
      and(eq(users.id, promptChunkRevisions.authorId), eq(users.tenantId, promptChunkRevisions.tenantId)),
    )
    .leftJoin(
      promptChunks,
      and(
        eq(promptChunks.id, promptChunkRevisions.chunkId),
        eq(promptChunks.tenantId, promptChunkRevisions.tenantId),
      ),
    )
    .where(and(eq(promptChunkRevisions.tenantId, tenantId), where))
    .orderBy(...newestFirst(promptChunkRevisions.createdAt, promptChunkRevisions.id));
}

type RevisionRow = Awaited<ReturnType<typeof selectRevisions>>[number];

function toRevision(row: RevisionRow): ChunkRevision {
  return {
    id: row.id,
    chunk_id: row.chunkId,
    action: row.action,
    before: row.before ?? null,
    after: row.after ?? null,
    channel: row.channel,
    author:
      row.authorId && row.authorEmail
        ? { id: row.authorId, email: row.authorEmail, name: row.authorName }
        : null,
    chunk_exists: row.liveChunk !== null,
    created_at: row.at.replace(/(\.\d{3})\d{3}Z$/, "$1Z"),
  };
}

/** A page of the tenant's history (optionally of one chunk), newest first, keyset-paged. */
export async function listRevisions(
  db: Database,
  tenantId: string,
  query: { chunk_id?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<KeysetPage<ChunkRevision>> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await selectRevisions(
    db,
    tenantId,
    and(
      query.chunk_id ? eq(promptChunkRevisions.chunkId, query.chunk_id) : undefined,
      cursor ? olderThan(promptChunkRevisions.createdAt, promptChunkRevisions.id, cursor) : undefined,
    ),
  ).limit(query.limit + 1);
  return keysetPage(rows, query.limit, (r) => ({ at: r.at, id: r.id }), toRevision);
}

/** One revision of the tenant, or undefined (another tenant's revision is as unknown as a missing one). */
export async function findRevision(db: Queryable, tenantId: string, revisionId: string) {
  const [row] = await selectRevisions(db, tenantId, eq(promptChunkRevisions.id, revisionId)).limit(1);
  return row ? toRevision(row) : undefined;
}
