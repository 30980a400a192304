import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type DateRange, inDateRange } from "../../db/date-range.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { leads } from "../../db/schema.ts";

export interface LeadItem {
  id: string;
  kind: "email" | "phone";
  value: string;
  raw: string;
  dialog_id: string | null;
  created_at: string;
}

/**
 * The tenant's leads, newest first, keyset-paged over (created_at, id) to the microsecond: the leads of
 * one message are stored in one statement and share their `created_at`.
 */
export async function listLeads(
  db: Database,
  tenantId: string,
  opts: DateRange & { limit: number; cursor?: string | undefined; kind?: "email" | "phone" | undefined },
): Promise<KeysetPage<LeadItem>> {
  const rows = await db
    .select({ row: leads, at: exactTimestamp(leads.createdAt) })
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, tenantId),
        opts.kind ? eq(leads.kind, opts.kind) : undefined,
        opts.cursor ? olderThan(leads.createdAt, leads.id, decodeCursor(opts.cursor)) : undefined,
        ...inDateRange(leads.createdAt, opts),
      ),
    )
    .orderBy(...newestFirst(leads.createdAt, leads.id))
    .limit(opts.limit + 1);
  return keysetPage(
    rows,
    opts.limit,
    (r) => ({ at: r.at, id: r.row.id }),
    ({ row: r }) => ({
      id: r.id,
      kind: r.kind,
      value: r.value,
      raw: r.raw,
      dialog_id: r.dialogId,
      created_at: r.createdAt.toISOString(),
    }),
  );
}
