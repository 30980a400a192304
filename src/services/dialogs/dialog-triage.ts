/**
 * Dialog triage (docs/cabinet.md, "Dialog triage"): which dialogs are new to each cabinet user, archiving,
 * and the list's triage filters. Everything is computed from Postgres: a dialog is unread for a user while
 * its `last_visitor_message_at` (written by the dialog object's sync) is later than what that user's last
 * opening covered, so a visitor message still on its way to Postgres cannot be marked read unseen.
 */
import { and, eq, isNotNull, isNull, not, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type DateRange, inDateRange } from "../../db/date-range.ts";
import { dialogReads, dialogs, users } from "../../db/schema.ts";
import type { AuthContext } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { visibleTo } from "./dialog-visibility.ts";

/** The list filters of triage (src/schemas/triage.ts). */
export interface TriageFilters extends DateRange {
  unread?: boolean | undefined;
  /** Absent: the default list, the dialogs not archived. */
  archived?: boolean | undefined;
}

/** `true` while the dialog has a visitor message the user has not opened (one subquery on the key). */
export function unreadFor(auth: AuthContext): SQL<boolean> {
  return sql<boolean>`(${dialogs.lastVisitorMessageAt} is not null and not exists (
    select 1 from ${dialogReads} where ${dialogReads.tenantId} = ${auth.tenantId}
      and ${dialogReads.userId} = ${auth.userId} and ${dialogReads.dialogId} = ${dialogs.id}
      and ${dialogReads.readThrough} >= ${dialogs.lastVisitorMessageAt}))`;
}

/** The conditions the triage filters add to the dialog list's query. */
export function triageConditions(auth: AuthContext, filters: TriageFilters): SQL[] {
  const where: SQL[] = [filters.archived ? isNotNull(dialogs.archivedAt) : isNull(dialogs.archivedAt)];
  if (filters.unread !== undefined) where.push(filters.unread ? unreadFor(auth) : not(unreadFor(auth)));
  where.push(...inDateRange(dialogs.lastMessageAt, filters));
  return where;
}

/**
 * The caller opened the dialog: read through its newest visitor message as Postgres has it now. Only a
 * user of the tenant's own has marks (an operator's support session or an API key reads without one);
 * a dialog the caller may not see is left alone (the read that follows answers 404).
 */
export async function markDialogRead(db: Database, auth: AuthContext, dialogId: string): Promise<void> {
  await db.execute(sql`
    insert into ${dialogReads} (tenant_id, user_id, dialog_id, last_read_at, read_through)
    select ${dialogs.tenantId}, ${users.id}, ${dialogs.id}, now(), ${dialogs.lastVisitorMessageAt}
    from ${dialogs} join ${users} on ${users.id} = ${auth.userId} and ${users.tenantId} = ${auth.tenantId}
    where ${dialogs.id} = ${dialogId} and ${visibleTo(auth)}
    on conflict (tenant_id, user_id, dialog_id) do update set last_read_at = excluded.last_read_at,
      read_through = greatest(${dialogReads.readThrough}, excluded.read_through)`);
}

/** Archives the dialog (or brings it back); 404 for a dialog the caller may not see. */
export async function setArchived(
  db: Database,
  auth: AuthContext,
  dialogId: string,
  archived: boolean,
): Promise<{ id: string; archived_at: string | null }> {
  // Archiving twice keeps the first time (the dialog has been archived since then).
  const [row] = await db
    .update(dialogs)
    .set({ archivedAt: archived ? sql`coalesce(${dialogs.archivedAt}, now())` : null })
    .where(and(eq(dialogs.id, dialogId), visibleTo(auth)))
    .returning({ id: dialogs.id, archivedAt: dialogs.archivedAt });
  if (!row) throw new AppError("not_found", "No such dialog.");
  return { id: row.id, archived_at: row.archivedAt?.toISOString() ?? null };
}
