/**
 * Copies a dialog's pending messages and leads from its SQLite storage to Postgres in ONE statement
 * (data-modifying CTEs: upsert the dialog row with its stats, upsert messages, insert leads, add reply
 * usage, with its cache-hit and cache-miss prompt tokens, to `usage_daily`), so a sync is a single round trip and all-or-nothing. Safe to repeat: every
 * write is an upsert, and a reply's usage is added only by the statement that first stores the reply with
 * usage (a retry after a lost answer finds the row already there and adds nothing). One round trip with
 * the transaction around it: the values are written into the text (inline-sql.ts). The takeover state
 * and operator authors are written through a lookup of the user, so an account deleted meanwhile becomes
 * null (as its foreign keys say) instead of failing every retry.
 */
import { sql } from "drizzle-orm";
import type { DbHandle } from "../db/client.ts";
import { insertLeads } from "../db/lead-insert.ts";
import { pgSafe } from "../db/pg-safe.ts";
import type { NewLead } from "../services/webhooks/events.ts";
import type { DialogMeta, DialogStore } from "./dialog-store.ts";
import type { ReplyUsage } from "./usage-ledger.ts";

export async function syncDialog(
  /**
   * Runs the statement in its own tenant-scoped transaction and resolves once that has committed (rows
   * count as synced only then): `DbHandle.once`, which sends BEGIN, the scope, the statement and COMMIT
   * in one round trip.
   */
  once: DbHandle["once"],
  store: DialogStore,
  meta: DialogMeta,
  /**
   * Gets the leads that are new to the tenant, in the same synchronous step that marks them synced (so
   * the events it records and the mark land together). A retry after a lost commit answer finds its own
   * earlier rows (same dialog) and reports them then; a lead another dialog had is never new.
   */
  onNewLeads?: (leads: NewLead[]) => void,
): Promise<{ messages: number; leads: number; usage: ReplyUsage[]; xid: string }> {
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
      author_id: m.authorId ?? null,
    })),
  );
  const writtenAt = new Map(messages.map((m) => [m.seq, m.content + m.status]));
  const lastAt = new Date(stats.lastAt ?? meta.createdAt).toISOString();
  const takeover = store.takeover();
  // The newest visitor message of this batch: the cabinet's "unread" compares it (never moved back). The
  // admin chat has no visitor: its `user` is the cabinet user itself.
  const visitorTimes =
    meta.channel === "admin" ? [] : messages.filter((m) => m.role === "user").map((m) => m.createdAt);
  const lastVisitorAt = visitorTimes.length ? new Date(Math.max(...visitorTimes)).toISOString() : null;
  const takenOverAt = takeover ? new Date(takeover.at).toISOString() : null;
  const seqs = messages.map((m) => m.seq);
  const rows = await once<{
    xid: string;
    counted: Array<{ seq: number; day: string; tokens: number }>;
    new_leads: NewLead[];
  }>(sql`
    with prev as (
      -- the rows as they were before this statement: usage is added only where none was stored yet
      select p.seq, p.usage is not null as had_usage from messages p
      where p.dialog_id = ${meta.dialogId} and p.seq between ${seqs.length ? Math.min(...seqs) : 0} and ${seqs.length ? Math.max(...seqs) : -1}
    ), d as (
      insert into dialogs (id, tenant_id, channel, visitor_id, user_id, has_lead, message_count,
                           last_message_preview, last_message_at, created_at, taken_over_by, taken_over_at,
                           last_visitor_message_at)
      values (${meta.dialogId}, ${meta.tenantId}, ${meta.channel}, ${pgSafe(meta.visitorId)}, ${meta.userId},
              ${stats.hasLead}, ${stats.count}, ${pgSafe(stats.preview)}, ${lastAt}, ${new Date(meta.createdAt).toISOString()},
              (select id from users where id = ${takeover?.by ?? null}::uuid and tenant_id = ${meta.tenantId}),
              ${takenOverAt}::timestamptz, ${lastVisitorAt}::timestamptz)
      on conflict (id) do update set has_lead = excluded.has_lead, message_count = excluded.message_count,
        last_message_preview = excluded.last_message_preview, last_message_at = excluded.last_message_at,
        taken_over_by = excluded.taken_over_by, taken_over_at = excluded.taken_over_at,
        last_visitor_message_at = greatest(dialogs.last_visitor_message_at, excluded.last_visitor_message_at)
        where dialogs.tenant_id = excluded.tenant_id
      returning id
    ), m as (
      insert into messages (id, tenant_id, dialog_id, seq, role, content, commands, status, usage, created_at, author_id)
      select x.id, ${meta.tenantId}, ${meta.dialogId}, x.seq, x.role, x.content, x.commands, x.status, x.usage, x.created_at,
        (select u.id from users u where u.id = x.author_id and u.tenant_id = ${meta.tenantId})
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        as x(id uuid, seq int, role text, content text, commands jsonb, status text, usage jsonb, created_at timestamptz,
             author_id uuid)
      on conflict (dialog_id, seq) do update set content = excluded.content, commands = excluded.commands,
        status = excluded.status, usage = excluded.usage
      returning seq, role, usage, created_at, (xmax = 0) as inserted
    ), counted as (
      select m.seq, (m.created_at at time zone 'UTC')::date as day,
        coalesce((m.usage ->> 'promptTokens')::bigint, 0) as prompt,
        coalesce((m.usage ->> 'completionTokens')::bigint, 0) as completion,
        coalesce((m.usage ->> 'cacheHitTokens')::bigint, 0) as cache_hit,
        coalesce((m.usage ->> 'cacheMissTokens')::bigint, 0) as cache_miss
      from m left join prev on prev.seq = m.seq
      where m.role = 'assistant' and jsonb_typeof(m.usage) = 'object'
        and (m.inserted or prev.had_usage is false)
    ), usage_add as (
      insert into usage_daily (tenant_id, day, dialog_id, prompt_tokens, completion_tokens, cache_hit_tokens,
                               cache_miss_tokens, replies)
      select ${meta.tenantId}, day, ${meta.dialogId}, sum(prompt), sum(completion), sum(cache_hit), sum(cache_miss),
        count(*)
      from counted group by day
      on conflict (tenant_id, day, dialog_id) do update set
        prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
        completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens,
        cache_hit_tokens = usage_daily.cache_hit_tokens + excluded.cache_hit_tokens,
        cache_miss_tokens = usage_daily.cache_miss_tokens + excluded.cache_miss_tokens,
        replies = usage_daily.replies + excluded.replies
      returning 1
    ), l as (
      ${insertLeads(meta.tenantId, meta.dialogId, leads)}
    ), earlier as (
      -- stored by an attempt of this sync whose answer was lost: new to the tenant all the same
      select e.id, e.kind, e.value, e.raw, e.created_at from leads e
      where e.tenant_id = ${meta.tenantId} and e.dialog_id = ${meta.dialogId}
        and (e.kind, e.value) in (select x.kind, x.value
          from jsonb_to_recordset(${JSON.stringify(pgSafe(leads))}::jsonb) as x(kind text, value text))
    )
    select (select count(*) from d) as dialogs, (select count(*) from m) as messages, (select count(*) from l) as leads,
      (select count(*) from usage_add) as usage_days, pg_current_xact_id()::text as xid,
      coalesce((select json_agg(json_build_object('seq', seq, 'day', day::text, 'tokens', prompt + completion))
                from counted), '[]'::json) as counted,
      coalesce((select json_agg(json_build_object('id', n.id, 'kind', n.kind, 'value', n.value, 'raw', n.raw,
                                                  'created_at', n.created_at))
                from (select * from l union all select * from earlier) n), '[]'::json) as new_leads`);
  store.markMessagesSynced(
    messages.map((m) => m.seq),
    writtenAt,
  );
  store.markLeadsSynced(leads);
  const row = rows[0];
  if (leads.length > 0) onNewLeads?.(row?.new_leads ?? []);
  const ids = new Map(messages.map((m) => [m.seq, m.id]));
  const usage = (row?.counted ?? []).map((c) => ({
    messageId: ids.get(c.seq) ?? "",
    day: c.day,
    tokens: Number(c.tokens),
  }));
  return { messages: messages.length, leads: leads.length, usage, xid: row?.xid ?? "0" };
}
