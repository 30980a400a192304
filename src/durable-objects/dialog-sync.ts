/**
 * Copies a dialog's pending messages and leads from its SQLite storage to Postgres in ONE statement
 * (data-modifying CTEs: upsert the dialog row with its stats, upsert messages, insert leads), so a sync
 * is a single round trip and all-or-nothing. Safe to repeat: every write is an upsert.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import type { DialogMeta, DialogStore } from "./dialog-store.ts";

export async function syncDialog(
  db: Database,
  store: DialogStore,
  meta: DialogMeta,
): Promise<{ messages: number; leads: number }> {
  const messages = store.unsyncedMessages();
  const leads = store.unsyncedLeads();
  const stats = store.stats();
  const payload = pgSafe(
    messages.map((m) => ({
      id: m.id,
      seq: m.seq,
      role: m.role,
      content: m.content,
      commands: m.commands,
      status: m.status,
      usage: m.usage,
      created_at: new Date(m.createdAt).toISOString(),
    })),
  );
  const writtenAt = new Map(messages.map((m) => [m.seq, m.content + m.status]));
  const lastAt = new Date(stats.lastAt ?? meta.createdAt).toISOString();
  await db.execute(sql`
    with d as (
      insert into dialogs (id, tenant_id, channel, visitor_id, user_id, has_lead, message_count,
                           last_message_preview, last_message_at, created_at)
      values (${meta.dialogId}, ${meta.tenantId}, ${meta.channel}, ${pgSafe(meta.visitorId)}, ${meta.userId},
              ${stats.hasLead}, ${stats.count}, ${pgSafe(stats.preview)}, ${lastAt}, ${new Date(meta.createdAt).toISOString()})
      on conflict (id) do update set has_lead = excluded.has_lead, message_count = excluded.message_count,
        last_message_preview = excluded.last_message_preview, last_message_at = excluded.last_message_at
        where dialogs.tenant_id = excluded.tenant_id
      returning id
    ), m as (
      insert into messages (id, tenant_id, dialog_id, seq, role, content, commands, status, usage, created_at)
      select x.id, ${meta.tenantId}, ${meta.dialogId}, x.seq, x.role, x.content, x.commands, x.status, x.usage, x.created_at
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        as x(id uuid, seq int, role text, content text, commands jsonb, status text, usage jsonb, created_at timestamptz)
      on conflict (dialog_id, seq) do update set content = excluded.content, commands = excluded.commands,
        status = excluded.status, usage = excluded.usage
      returning 1
    ), l as (
      insert into leads (tenant_id, dialog_id, kind, value, raw)
      select ${meta.tenantId}, ${meta.dialogId}, x.kind, x.value, x.raw
      from jsonb_to_recordset(${JSON.stringify(pgSafe(leads))}::jsonb) as x(kind text, value text, raw text)
      on conflict (tenant_id, kind, value) do nothing
      returning 1
    )
    select (select count(*) from d) as dialogs, (select count(*) from m) as messages, (select count(*) from l) as leads`);
  store.markMessagesSynced(
    messages.map((m) => m.seq),
    writtenAt,
  );
  store.markLeadsSynced(leads);
  return { messages: messages.length, leads: leads.length };
}

/**
 * Postgres text and jsonb cannot hold NUL (U+0000). A visitor's or the model's NUL would fail this
 * statement on every retry and keep the whole dialog out of Postgres, so it is stored as U+FFFD.
 */
export function pgSafe<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD") as T;
  if (Array.isArray(value)) return value.map(pgSafe) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgSafe(k), pgSafe(v)])) as T;
  }
  return value;
}
