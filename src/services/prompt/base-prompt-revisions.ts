/**
 * The base prompt's history: one `base_prompt_revisions` row per change (written by the change's own
 * transaction, base-prompt.ts), listed newest first with its author, keyset-paged like the chunk history.
 */
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { basePromptRevisions, users } from "../../db/schema.ts";
import type { ChangeOrigin } from "./chunk-revisions.ts";

export type BaseRevisionAction = (typeof basePromptRevisions.$inferSelect)["action"];

/** A revision as the API shows it; `before`/`after` null stand for the platform's default. */
export interface BasePromptRevision {
  id: string;
  action: BaseRevisionAction;
  before: string | null;
  after: string | null;
  channel: ChangeOrigin["channel"];
  author: { id: string; email: string; name: string | null } | null;
  created_at: string;
}

/** Writes one revision; call it inside the transaction that made the change. */
export async function recordBaseRevision(
  tx: Queryable,
  tenantId: string,
  action: BaseRevisionAction,
  before: string | null,
  after: string | null,
  origin: ChangeOrigin,
): Promise<string> {
  const [row] = await tx
    .insert(basePromptRevisions)
    .values({
      tenantId,
      action,
      before,
      after,
      authorId: origin.authorId,
      channel: origin.channel,
      // The change's own instant, not the transaction's start (see chunk-revisions.ts).
      createdAt: sql`clock_timestamp()`,
    })
    .returning({ id: basePromptRevisions.id });
  if (!row) throw new Error("base prompt revision insert returned nothing");
  return row.id;
}

const columns = {
  id: basePromptRevisions.id,
  action: basePromptRevisions.action,
  before: basePromptRevisions.before,
  after: basePromptRevisions.after,
  channel: basePromptRevisions.channel,
  authorId: users.id,
  authorEmail: users.email,
  authorName: users.name,
  at: exactTimestamp(basePromptRevisions.createdAt),
};

function selectRevisions(db: Queryable, tenantId: string, where: SQL | undefined) {
  return db
    .select(columns)
    .from(basePromptRevisions)
    .leftJoin(
      users,
      and(eq(users.id, basePromptRevisions.authorId), eq(users.tenantId, basePromptRevisions.tenantId)),
    )
    .where(and(eq(basePromptRevisions.tenantId, tenantId), where))
    .orderBy(...newestFirst(basePromptRevisions.createdAt, basePromptRevisions.id));
}

type Row = Awaited<ReturnType<typeof selectRevisions>>[number];

const millis = (at: string) => at.replace(/(\.\d{3})\d{3}Z$/, "$1Z");

function toRevision(row: Row): BasePromptRevision {
  return {
    id: row.id,
    action: row.action,
    before: row.before,
    after: row.after,
    channel: row.channel,
    author:
      row.authorId && row.authorEmail
        ? { id: row.authorId, email: row.authorEmail, name: row.authorName }
        : null,
    created_at: millis(row.at),
  };
}

/** A page of the base prompt's history, newest first. */
export async function listBaseRevisions(
  db: Database,
  tenantId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<KeysetPage<BasePromptRevision>> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await selectRevisions(
    db,
    tenantId,
    cursor ? olderThan(basePromptRevisions.createdAt, basePromptRevisions.id, cursor) : undefined,
  ).limit(query.limit + 1);
  return keysetPage(rows, query.limit, (r) => ({ at: r.at, id: r.id }), toRevision);
}

/** One revision of the tenant, or undefined. */
export async function findBaseRevision(db: Queryable, tenantId: string, revisionId: string) {
  const [row] = await selectRevisions(db, tenantId, eq(basePromptRevisions.id, revisionId)).limit(1);
  return row ? toRevision(row) : undefined;
}

/** When the base prompt last changed (ISO, milliseconds), or null when it never did. */
export async function latestBaseChange(db: Queryable, tenantId: string): Promise<string | null> {
  const [row] = await db
    .select({ at: exactTimestamp(basePromptRevisions.createdAt) })
    .from(basePromptRevisions)
    .where(eq(basePromptRevisions.tenantId, tenantId))
    .orderBy(desc(basePromptRevisions.createdAt), desc(basePromptRevisions.id))
    .limit(1);
  return row ? millis(row.at) : null;
}
