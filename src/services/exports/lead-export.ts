/** The leads export: CSV (or JSON lines), newest first, keyset-paged over (created_at, id). */
import { and, eq, gte, lt } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { exactTimestamp, type KeysetCursor, newestFirst, olderThan } from "../../db/keyset.ts";
import { leads } from "../../db/schema.ts";
import { csvRow } from "./csv.ts";
import type { ExportSource } from "./paged-stream.ts";
import type { ExportRange } from "./range.ts";

const PAGE_ROWS = 1000;

export type LeadExportFormat = "csv" | "jsonl";

export const LEAD_CSV_HEADER = ["id", "kind", "value", "raw", "dialog_id", "created_at"] as const;

function readPage(db: Database, tenantId: string, range: ExportRange, cursor: KeysetCursor | null) {
  return db
    .select({ row: leads, at: exactTimestamp(leads.createdAt) })
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, tenantId),
        range.from ? gte(leads.createdAt, range.from) : undefined,
        range.to ? lt(leads.createdAt, range.to) : undefined,
        cursor ? olderThan(leads.createdAt, leads.id, cursor) : undefined,
      ),
    )
    .orderBy(...newestFirst(leads.createdAt, leads.id))
    .limit(PAGE_ROWS);
}

/** The export of a tenant's leads as a page-by-page source for `pagedExport`. */
export function leadExport(tenantId: string, format: LeadExportFormat, range: ExportRange): ExportSource {
  let cursor: KeysetCursor | null = null;
  let finished = false;
  return {
    async next(db) {
      if (finished) return null;
      const head = cursor === null && format === "csv" ? `\uFEFF${csvRow(LEAD_CSV_HEADER)}` : "";
      const rows = await readPage(db, tenantId, range, cursor);
      const body = rows
        .map(({ row: r }) => {
          const created = r.createdAt.toISOString();
          return format === "csv"
            ? csvRow([r.id, r.kind, r.value, r.raw, r.dialogId, created])
            : `${JSON.stringify({ id: r.id, kind: r.kind, value: r.value, raw: r.raw, dialog_id: r.dialogId, created_at: created })}\n`;
        })
        .join("");
      const last = rows.at(-1);
      if (rows.length < PAGE_ROWS || !last) finished = true;
      else cursor = { at: last.at, id: last.row.id };
      return head + body;
    },
  };
}
