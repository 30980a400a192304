/**
 * The cabinet's read side of dialogs (the chat engine writes them): a keyset-paged list, newest first,
 * and one dialog with its messages paged by `seq`. An owner sees every dialog of the tenant, a member
 * only its own; both rules are part of the query itself.
 */
import { and, asc, desc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../db/client.ts";
import { dialogs, messages } from "../db/schema.ts";
import type { AuthContext } from "../env.ts";
import { AppError } from "../errors.ts";

/** A position in a newest-first list: the row's timestamp (microseconds, UTC) and id. */
export interface KeysetCursor {
  at: string;
  id: string;
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque cursor text (base64url of JSON) for a position. */
export function encodeCursor(cursor: KeysetCursor): string {
  return btoa(JSON.stringify([cursor.at, cursor.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Reads a cursor made by `encodeCursor`; anything else is a 422 naming `cursor`, never a database error. */
export function decodeCursor(raw: string): KeysetCursor {
  const bad = () =>
    new AppError("validation_failed", "The request is not valid.", {
      issues: [{ path: "cursor", message: "Not a cursor this API made." }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(raw.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [at, id] = parsed as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !CURSOR_AT.test(at) || !UUID.test(id)) throw bad();
  // Reject dates the calendar lacks (Feb 30): Postgres would refuse them with an error.
  const ms = Date.parse(`${at.slice(0, 23)}Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 23) !== at.slice(0, 23)) throw bad();
  return { at, id };
}

/** A timestamp column as exact UTC text with microseconds (a JS Date would drop them and skip rows). */
export function exactTimestamp(column: AnyPgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** `(at, id) < cursor`, the keyset condition of a newest-first page. */
export function olderThan(atColumn: AnyPgColumn, idColumn: AnyPgColumn, cursor: KeysetCursor): SQL {
  return sql`(${atColumn}, ${idColumn}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/** Escapes `%`, `_` and `\` so user text matches literally inside an ILIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export interface DialogSummary {
  id: string;
  channel: "web" | "telegram" | "admin";
  visitor_id: string;
  user_id: string | null;
  title: string | null;
  last_message_preview: string | null;
  message_count: number;
  has_lead: boolean;
  last_message_at: string;
  created_at: string;
  /** Set while a human operator holds the dialog (the model is silent in it). */
  taken_over_by: string | null;
  taken_over_at: string | null;
}

export interface DialogMessage {
  id: string;
  seq: number;
  role: "user" | "assistant" | "operator";
  content: string;
  commands: unknown[];
  status: "complete" | "partial" | "failed" | "stopped";
  author_id: string | null;
  created_at: string;
}

export interface DialogFilters {
  cursor?: string | undefined;
  limit: number;
  channel?: DialogSummary["channel"] | undefined;
  has_lead?: boolean | undefined;
  q?: string | undefined;
}

const summaryColumns = {
  id: dialogs.id,
  channel: dialogs.channel,
  visitorId: dialogs.visitorId,
  userId: dialogs.userId,
  title: dialogs.title,
  lastMessagePreview: dialogs.lastMessagePreview,
  messageCount: dialogs.messageCount,
  hasLead: dialogs.hasLead,
  lastMessageAt: dialogs.lastMessageAt,
  createdAt: dialogs.createdAt,
  takenOverBy: dialogs.takenOverBy,
  takenOverAt: dialogs.takenOverAt,
};

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof dialogs.$inferSelect)[K] };

function toSummary(row: SummaryRow): DialogSummary {
  return {
    id: row.id,
    channel: row.channel,
    visitor_id: row.visitorId,
    user_id: row.userId,
    title: row.title,
    last_message_preview: row.lastMessagePreview,
    message_count: row.messageCount,
    has_lead: row.hasLead,
    last_message_at: row.lastMessageAt.toISOString(),
    created_at: row.createdAt.toISOString(),
    // Postgres keeps who and when; an account deleted meanwhile leaves the time (still taken over).
    taken_over_by: row.takenOverBy,
    taken_over_at: row.takenOverAt?.toISOString() ?? null,
  };
}

/** Who may see which dialogs: the tenant's, and for a member only its own. */
function visibleTo(auth: AuthContext): SQL {
  const tenant = eq(dialogs.tenantId, auth.tenantId);
  return auth.role === "owner" ? tenant : (and(tenant, eq(dialogs.userId, auth.userId)) as SQL);
}

/** One page of the dialogs the caller may see, most recently active first. */
export async function listDialogs(
  db: Database,
  auth: AuthContext,
  filters: DialogFilters,
): Promise<{ items: DialogSummary[]; next_cursor: string | null }> {
  const where: SQL[] = [visibleTo(auth)];
  if (filters.cursor) where.push(olderThan(dialogs.lastMessageAt, dialogs.id, decodeCursor(filters.cursor)));
  if (filters.channel) where.push(eq(dialogs.channel, filters.channel));
  if (filters.has_lead !== undefined) where.push(eq(dialogs.hasLead, filters.has_lead));
  if (filters.q) {
    where.push(sql`exists (select 1 from ${messages} where ${messages.tenantId} = ${auth.tenantId}
      and ${messages.dialogId} = ${dialogs.id} and ${messages.content} ilike ${likeContains(filters.q)} escape '\\')`);
  }
  const rows = await db
    .select({ ...summaryColumns, cursorAt: exactTimestamp(dialogs.lastMessageAt) })
    .from(dialogs)
    .where(and(...where))
    .orderBy(desc(dialogs.lastMessageAt), desc(dialogs.id))
    .limit(filters.limit + 1);
  const more = rows.length > filters.limit;
  const shown = rows.slice(0, filters.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toSummary),
    next_cursor: more && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
  };
}

/** A dialog the caller may see, with one page of its messages after `afterSeq`; 404 otherwise. */
export async function getDialog(
  db: Database,
  auth: AuthContext,
  dialogId: string,
  page: { afterSeq?: number | undefined; limit: number },
): Promise<DialogSummary & { messages: DialogMessage[]; next_after_seq: number | null }> {
  const [dialog] = await db
    .select(summaryColumns)
    .from(dialogs)
    .where(and(eq(dialogs.id, dialogId), visibleTo(auth)))
    .limit(1);
  if (!dialog) throw new AppError("not_found", "No such dialog.");
  const where = [eq(messages.tenantId, auth.tenantId), eq(messages.dialogId, dialogId)];
  if (page.afterSeq !== undefined) where.push(gt(messages.seq, page.afterSeq));
  const rows = await db
    .select()
    .from(messages)
    .where(and(...where))
    .orderBy(asc(messages.seq))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const more = rows.length > page.limit;
  return {
    ...toSummary(dialog),
    messages: shown.map((m) => ({
      id: m.id,
      seq: m.seq,
      role: m.role,
      content: m.content,
      commands: m.commands,
      status: m.status,
      author_id: m.authorId,
      created_at: m.createdAt.toISOString(),
    })),
    next_after_seq: more ? (shown.at(-1)?.seq ?? null) : null,
  };
}
