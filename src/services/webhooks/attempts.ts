/** Delivery attempts in Postgres (`webhook_deliveries`): recorded by the outbox, listed for the cabinet. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { webhookDeliveries, webhooks } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import type { WebhookDelivery } from "../../schemas/webhooks.ts";

/** Attempts older than this are pruned when new ones are recorded. */
const ATTEMPT_RETENTION = "30 days";

/** One attempt as stored. */
export interface AttemptRecord {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  attemptedAt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: number | null;
}

/**
 * Stores attempts (one statement; those of hooks deleted meanwhile are dropped) and prunes the tenant's
 * old ones. Throws when Postgres does not take them, so the caller can keep them for later.
 */
export async function recordAttempts(
  db: Database,
  tenantId: string,
  attempts: AttemptRecord[],
): Promise<void> {
  if (attempts.length === 0) return;
  const rows = attempts.map((a) => ({
    id: a.id,
    webhook_id: a.webhookId,
    event_id: a.eventId,
    event_type: a.eventType,
    attempt: a.attempt,
    attempted_at: new Date(a.attemptedAt).toISOString(),
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
    next_attempt_at: a.nextAttemptAt === null ? null : new Date(a.nextAttemptAt).toISOString(),
  }));
  await db.execute(sql`
    with pruned as (
      delete from webhook_deliveries
      where tenant_id = ${tenantId} and attempted_at < now() - ${ATTEMPT_RETENTION}::interval
    )
    insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, attempt, attempted_at,
                                    status_code, error, duration_ms, next_attempt_at)
    select x.id, ${tenantId}, x.webhook_id, x.event_id, x.event_type, x.attempt, x.attempted_at, x.status_code,
      x.error, x.duration_ms, x.next_attempt_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(id uuid, webhook_id uuid, event_id uuid, event_type text, attempt int, attempted_at timestamptz,
           status_code int, error text, duration_ms int, next_attempt_at timestamptz)
    where exists (select 1 from webhooks w where w.id = x.webhook_id and w.tenant_id = ${tenantId})
    on conflict (id) do nothing`);
}

/** The hook's latest attempts, newest first; 404 when the tenant has no such hook. */
export async function listDeliveries(
  db: Database,
  tenantId: string,
  webhookId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  const [hook] = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, webhookId)));
  if (!hook) throw new AppError("not_found", "No such webhook.");
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId)))
    .orderBy(desc(webhookDeliveries.attemptedAt), desc(webhookDeliveries.attempt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    event_id: r.eventId,
    event_type: r.eventType,
    attempt: r.attempt,
    attempted_at: r.attemptedAt.toISOString(),
    ok: r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300,
    status_code: r.statusCode,
    error: r.error,
    duration_ms: r.durationMs,
    next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
  }));
}
