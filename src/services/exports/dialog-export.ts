/**
 * The dialogs export: JSON lines (one dialog with all its messages per line) or CSV (one row per
 * message). Dialogs come newest first by creation, their messages in order; the walk is one keyset over
 * (dialog created_at, dialog id, message seq), `PAGE_ROWS` message rows a page, so a dialog of any length
 * spans pages and memory holds one page at most. A JSON line's messages carry the visitor's rating
 * (`feedback`); the CSV keeps its columns.
 */
import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { exactTimestamp } from "../../db/keyset.ts";
import { dialogs, messageFeedback, messages } from "../../db/schema.ts";
import { csvRow } from "./csv.ts";
import type { ExportSource } from "./paged-stream.ts";
import type { ExportRange } from "./range.ts";

/** Message rows per page (a page is one query). */
export const PAGE_ROWS = 1000;

export type DialogExportFormat = "jsonl" | "csv";

export interface DialogExportFilters extends ExportRange {
  channel?: "web" | "telegram" | "admin" | undefined;
}

export const DIALOG_CSV_HEADER = [
  "dialog_id",
  "channel",
  "visitor_id",
  "dialog_created_at",
  "message_id",
  "seq",
  "role",
  "status",
  "created_at",
  "content",
] as const;

interface Cursor {
  at: string;
  id: string;
  seq: number;
}

async function readPage(db: Database, tenantId: string, filters: DialogExportFilters, cursor: Cursor | null) {
  const where: Array<SQL | undefined> = [
    eq(dialogs.tenantId, tenantId),
    filters.from ? gte(dialogs.createdAt, filters.from) : undefined,
    filters.to ? lt(dialogs.createdAt, filters.to) : undefined,
    filters.channel ? eq(dialogs.channel, filters.channel) : undefined,
  ];
  if (cursor) {
    const at = sql`${cursor.at}::timestamptz`;
    const id = sql`${cursor.id}::uuid`;
    // The first half bounds the index walk; the second skips what the last page already sent.
    where.push(
      sql`(${dialogs.createdAt}, ${dialogs.id}) <= (${at}, ${id})`,
      sql`((${dialogs.createdAt}, ${dialogs.id}) < (${at}, ${id}) or coalesce(${messages.seq}, -1) > ${cursor.seq})`,
    );
  }
  return db
    .select({
      id: dialogs.id,
      at: exactTimestamp(dialogs.createdAt),
      channel: dialogs.channel,
      visitorId: dialogs.visitorId,
      userId: dialogs.userId,
      title: dialogs.title,
      hasLead: dialogs.hasLead,
      messageCount: dialogs.messageCount,
      createdAt: dialogs.createdAt,
      lastMessageAt: dialogs.lastMessageAt,
      message: {
        id: messages.id,
        seq: messages.seq,
        role: messages.role,
        status: messages.status,
        content: messages.content,
        commands: messages.commands,
        createdAt: messages.createdAt,
      },
      // At most one rating per message: the join adds no rows.
      rating: messageFeedback.rating,
      ratingComment: messageFeedback.comment,
    })
    .from(dialogs)
    .leftJoin(messages, and(eq(messages.tenantId, dialogs.tenantId), eq(messages.dialogId, dialogs.id)))
    .leftJoin(
      messageFeedback,
      and(eq(messageFeedback.tenantId, messages.tenantId), eq(messageFeedback.messageId, messages.id)),
    )
    .where(and(...where))
    .orderBy(desc(dialogs.createdAt), desc(dialogs.id), sql`${messages.seq} asc nulls first`)
    .limit(PAGE_ROWS);
}

type Row = Awaited<ReturnType<typeof readPage>>[number];

function dialogJson(row: Row): Record<string, unknown> {
  return {
    id: row.id,
    channel: row.channel,
    visitor_id: row.visitorId,
    user_id: row.userId,
    title: row.title,
    has_lead: row.hasLead,
    message_count: row.messageCount,
    created_at: row.createdAt.toISOString(),
    last_message_at: row.lastMessageAt.toISOString(),
  };
}

function messageJson(row: Row, m: NonNullable<Row["message"]>): Record<string, unknown> {
  return {
    id: m.id,
    seq: m.seq,
    role: m.role,
    status: m.status,
    content: m.content,
    commands: m.commands,
    created_at: m.createdAt.toISOString(),
    // The visitor's rating of an answer (answer feedback), or null.
    feedback: row.rating ? { rating: row.rating, comment: row.ratingComment } : null,
  };
}

/** The export of a tenant's dialogs as a page-by-page source for `pagedExport`. */
export function dialogExport(
  tenantId: string,
  format: DialogExportFormat,
  filters: DialogExportFilters,
): ExportSource {
  let cursor: Cursor | null = null;
  let finished = false;
  /** The dialog whose JSON line is open (its messages array not yet closed). */
  let openDialog: string | null = null;
  let firstMessage = true;

  const jsonl = (rows: Row[]): string => {
    let out = "";
    for (const row of rows) {
      if (row.id !== openDialog) {
        if (openDialog !== null) out += "]}\n";
        out += `${JSON.stringify(dialogJson(row)).slice(0, -1)},"messages":[`;
        openDialog = row.id;
        firstMessage = true;
      }
      if (row.message) {
        out += (firstMessage ? "" : ",") + JSON.stringify(messageJson(row, row.message));
        firstMessage = false;
      }
    }
    return out;
  };

  const csv = (rows: Row[]): string =>
    rows
      .map((row) => {
        const m = row.message;
        if (!m) return "";
        return csvRow([
          row.id,
          row.channel,
          row.visitorId,
          row.createdAt.toISOString(),
          m.id,
          m.seq,
          m.role,
          m.status,
          m.createdAt.toISOString(),
          m.content,
        ]);
      })
      .join("");

  return {
    async next(db) {
      if (finished) return null;
      const head = cursor === null && format === "csv" ? `\uFEFF${csvRow(DIALOG_CSV_HEADER)}` : "";
      const rows = await readPage(db, tenantId, filters, cursor);
      let text = head + (format === "jsonl" ? jsonl(rows) : csv(rows));
      const last = rows.at(-1);
      if (rows.length < PAGE_ROWS || !last) {
        finished = true;
        if (format === "jsonl" && openDialog !== null) text += "]}\n";
        return text;
      }
      cursor = { at: last.at, id: last.id, seq: last.message?.seq ?? -1 };
      return text;
    },
  };
}
