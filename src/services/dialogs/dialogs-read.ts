/**
 * The cabinet's read side of dialogs (the chat engine writes them): a keyset-paged list, newest first,
 * and one dialog with its messages paged by `seq`. An owner sees every dialog of the tenant, a member
 * only its own; both rules are part of the query itself.
 */
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { dialogs, messages } from "../../db/schema.ts";
import type { AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";

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
): Promise<KeysetPage<DialogSummary>> {
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
    .orderBy(...newestFirst(dialogs.lastMessageAt, dialogs.id))
    .limit(filters.limit + 1);
  return keysetPage(rows, filters.limit, (r) => ({ at: r.cursorAt, id: r.id }), toSummary);
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
