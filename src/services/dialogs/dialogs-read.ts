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
import { dialogs, messageFeedback, messages } from "../../db/schema.ts";
import type { AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { type TriageFilters, triageConditions, unreadFor } from "./dialog-triage.ts";
import { visibleTo } from "./dialog-visibility.ts";

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
  /** A visitor message came after the caller last opened the dialog (dialog-triage.ts). */
  unread: boolean;
  archived_at: string | null;
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
  /** The visitor's rating of an answer (answer-feedback.ts), if any. */
  feedback: { rating: "up" | "down"; comment: string | null; updated_at: string } | null;
}

export interface DialogFilters extends TriageFilters {
  cursor?: string | undefined;
  limit: number;
  channel?: DialogSummary["channel"] | undefined;
  has_lead?: boolean | undefined;
  q?: string | undefined;
  /** Only dialogs with an answer rated so; `any`: rated at all. */
  rating?: "up" | "down" | "any" | undefined;
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
  archivedAt: dialogs.archivedAt,
};

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof dialogs.$inferSelect)[K] } & {
  unread: boolean;
};

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
    unread: row.unread,
    archived_at: row.archivedAt?.toISOString() ?? null,
  };
}

/** One page of the dialogs the caller may see, most recently active first. */
export async function listDialogs(
  db: Database,
  auth: AuthContext,
  filters: DialogFilters,
): Promise<KeysetPage<DialogSummary>> {
  const where: SQL[] = [visibleTo(auth), ...triageConditions(auth, filters)];
  if (filters.cursor) where.push(olderThan(dialogs.lastMessageAt, dialogs.id, decodeCursor(filters.cursor)));
  if (filters.channel) where.push(eq(dialogs.channel, filters.channel));
  if (filters.has_lead !== undefined) where.push(eq(dialogs.hasLead, filters.has_lead));
  if (filters.q) {
    where.push(sql`exists (select 1 from ${messages} where ${messages.tenantId} = ${auth.tenantId}
      and ${messages.dialogId} = ${dialogs.id} and ${messages.content} ilike ${likeContains(filters.q)} escape '\\')`);
  }
  if (filters.rating) {
    const rated = filters.rating === "any" ? sql`` : sql` and ${messageFeedback.rating} = ${filters.rating}`;
    where.push(sql`exists (select 1 from ${messageFeedback} where ${messageFeedback.tenantId} = ${auth.tenantId}
      and ${messageFeedback.dialogId} = ${dialogs.id}${rated})`);
  }
  const rows = await db
    .select({ ...summaryColumns, unread: unreadFor(auth), cursorAt: exactTimestamp(dialogs.lastMessageAt) })
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
    .select({ ...summaryColumns, unread: unreadFor(auth) })
    .from(dialogs)
    .where(and(eq(dialogs.id, dialogId), visibleTo(auth)))
    .limit(1);
  if (!dialog) throw new AppError("not_found", "No such dialog.");
  const where = [eq(messages.tenantId, auth.tenantId), eq(messages.dialogId, dialogId)];
  if (page.afterSeq !== undefined) where.push(gt(messages.seq, page.afterSeq));
  const rows = await db
    .select({ m: messages, feedback: messageFeedback })
    .from(messages)
    .leftJoin(
      messageFeedback,
      and(eq(messageFeedback.tenantId, messages.tenantId), eq(messageFeedback.messageId, messages.id)),
    )
    .where(and(...where))
    .orderBy(asc(messages.seq))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit).map((r) => ({ ...r.m, feedback: r.feedback }));
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
      feedback: m.feedback
        ? {
            rating: m.feedback.rating,
            comment: m.feedback.comment,
            updated_at: m.feedback.updatedAt.toISOString(),
          }
        : null,
    })),
    next_after_seq: more ? (shown.at(-1)?.seq ?? null) : null,
  };
}
