import { DurableObject } from "cloudflare:workers";
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { type AttemptRecord, recordAttempts } from "../services/webhooks/attempts.ts";
import { type DeliveryTarget, postEvent } from "../services/webhooks/deliver.ts";
import type { OutboxItem } from "../services/webhooks/events.ts";
import { nextAttemptAt } from "../services/webhooks/retry.ts";
import { loadTargets } from "../services/webhooks/store.ts";
import { ALERT_GAP_MS, AlertQueue, sendDueAlerts } from "./outbox-alerts.ts";
import { OutboxStore } from "./outbox-store.ts";

/** The hooks are re-read at least this often (a change also tells the object at once). */
const TARGETS_TTL_MS = 60_000;
/** Work that failed for a reason of ours (Postgres down) is tried again after this long. */
const RETRY_MS = 30_000;
/** Deliveries sent at once; more due ones go in the next round. */
const BATCH = 20;

/**
 * One object per tenant: the outbox of everything CIP tells the owner about. Dialogs (and the identify
 * route) hand events over; this object stores them before answering, posts them to every hook that
 * subscribes (signed, retried from its alarm for 24 hours, each attempt recorded in Postgres for the
 * deliveries list), and sends the lead alerts (mail and Telegram) at most once per dialog per 10
 * minutes. An event handed over twice (a lost answer) has the same id and is stored once.
 */
export class OutboxObject extends DurableObject<Bindings> {
  private readonly store: OutboxStore;
  private readonly alerts: AlertQueue;
  private targets: { list: DeliveryTarget[]; at: number } | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.store = new OutboxStore(ctx.storage.sql);
    this.alerts = new AlertQueue(ctx.storage.sql);
  }

  /** Stores the events (and their alerts) durably, then delivers them after answering. */
  async enqueue(tenantId: string, items: OutboxItem[]): Promise<void> {
    const now = Date.now();
    this.store.setTenant(tenantId);
    for (const { event, alert } of items) {
      if (event.tenant_id !== tenantId) continue;
      const body = JSON.stringify(event);
      const isNew = this.store.addEvent(event.id, event.type, body, Date.parse(event.created_at) || now);
      if (isNew && alert && event.type === "lead.created") {
        const d = event.data as { kind: string; value: string; raw: string };
        const key = alert.dialogId ?? "no-dialog";
        this.alerts.queue(
          key,
          alert.dialogId,
          [{ kind: d.kind, value: d.value, raw: d.raw }],
          alert.lastMessage,
          now,
          ALERT_GAP_MS,
        );
      }
    }
    // A watchdog in case this object stops before the work below ends; the work sets the real time.
    await this.wakeBy(now + 15_000);
    this.ctx.waitUntil(this.pump());
  }

  /** A hook was added or removed: read them again before the next delivery. */
  webhooksChanged(): void {
    this.targets = undefined;
  }

  override async alarm(): Promise<void> {
    await this.pump();
  }

  private pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const tenantId = this.store.tenantId();
        if (!tenantId) return;
        try {
          await this.deliver(tenantId);
          await sendDueAlerts(this.env, tenantId, this.alerts);
          await this.saveAttempts(tenantId);
          this.store.prune(Date.now());
          this.alerts.prune(Date.now());
        } catch (err) {
          log("error", "outbox round failed", { tenantId, error: describe(err) });
        }
        const times = [this.store.nextWake(Date.now(), RETRY_MS), this.alerts.nextDue()];
        const next = times.reduce<number | null>(
          (a, b) => (b === null ? a : a === null ? b : Math.min(a, b)),
          null,
        );
        if (next === null) await this.ctx.storage.deleteAlarm();
        else await this.ctx.storage.setAlarm(next);
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async wakeBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private async hooks(tenantId: string): Promise<DeliveryTarget[] | null> {
    if (this.targets && Date.now() - this.targets.at < TARGETS_TTL_MS) return this.targets.list;
    try {
      const list = await loadTargets(this.env, tenantId);
      this.targets = { list, at: Date.now() };
      return list;
    } catch (err) {
      log("warn", "webhooks could not be read; deliveries wait", { tenantId, error: describe(err) });
      return null;
    }
  }

  /** Matches new events with their hooks, then sends every due delivery, a batch at a time. */
  private async deliver(tenantId: string): Promise<void> {
    const hooks = await this.hooks(tenantId);
    if (!hooks) return;
    const byId = new Map(hooks.map((h) => [h.id, h]));
    for (const event of this.store.unfanned()) {
      const ids = hooks.filter((h) => h.events.includes(event.type)).map((h) => h.id);
      this.store.fanOut(event.id, ids, Date.now());
    }
    this.store.keepOnlyHooks([...byId.keys()]);
    for (;;) {
      const due = this.store.due(Date.now(), BATCH);
      if (due.length === 0) return;
      const records = await Promise.all(
        due.map(async (d): Promise<AttemptRecord> => {
          const hook = byId.get(d.webhookId);
          const outcome = hook
            ? await postEvent(this.env, hook, { id: d.eventId, type: d.type }, d.body)
            : {
                ok: false,
                statusCode: null,
                error: "The webhook was deleted.",
                durationMs: 0,
                attemptedAt: Date.now(),
              };
          const attempts = d.attempts + 1;
          const next = outcome.ok || !hook ? null : nextAttemptAt(d.createdAt, attempts, Date.now());
          this.store.settle(d.eventId, d.webhookId, attempts, next);
          return {
            id: crypto.randomUUID(),
            webhookId: d.webhookId,
            eventId: d.eventId,
            eventType: d.type,
            attempt: attempts,
            attemptedAt: outcome.attemptedAt,
            statusCode: outcome.statusCode,
            error: outcome.error,
            durationMs: outcome.durationMs,
            nextAttemptAt: next,
          };
        }),
      );
      this.store.keepAttempts(records);
    }
  }

  /** Writes the recorded attempts to Postgres; kept here until it takes them. */
  private async saveAttempts(tenantId: string): Promise<void> {
    const records = this.store.unsavedAttempts(200);
    if (records.length === 0) return;
    const handle = openDatabase(this.env, () => tenantId);
    try {
      await recordAttempts(handle.db, tenantId, records);
      await handle.finish();
      this.store.dropAttempts(records.map((r) => r.id));
    } catch (err) {
      log("warn", "webhook attempts not recorded yet", { tenantId, error: describe(err) });
    } finally {
      this.ctx.waitUntil(handle.close());
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 300) : String(err);
}
