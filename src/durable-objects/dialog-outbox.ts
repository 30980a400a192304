/**
 * The dialog's side of owner events (`dialog.created`, `message.created`, `lead.created`): each is
 * written to the dialog's SQLite in the same synchronous step as what it reports (the dialog row, the
 * message, the sync that found the lead new), so a crash cannot lose it, and handed to the tenant's
 * outbox object after the sync (retried by the dialog's alarm). Each event is recorded once per thing
 * it reports (`ref`) and keeps its id across hand-overs, so the outbox stores it once. The admin chat
 * reports nothing; message and dialog events are written only when a hook of the tenant wants them
 * (every lead is, for its alert).
 */
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import type { WebhookEventType } from "../schemas/webhooks.ts";
import { leadItem, type NewLead, type OutboxItem, webhookEvent } from "../services/webhooks/events.ts";
import type { DialogMeta, StoredMessage } from "./dialog-store.ts";

/** A failed hand-over is tried again this much later (the dialog's alarm syncs, then hands over). */
const HANDOVER_RETRY_MS = 5_000;
/** Handed-over rows are kept this long to recognise the same thing reported again. */
const SENT_RETENTION_MS = 24 * 60 * 60 * 1000;

export class DialogOutbox {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Bindings,
    /** The event types the tenant's hooks subscribe to; undefined when not known (then all are kept). */
    private readonly subscribed: () => readonly string[] | undefined,
  ) {
    this.createTable();
  }

  /** Also after the storage was emptied (the dialog deleted). */
  createTable(): void {
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS outbox (ref TEXT PRIMARY KEY, item TEXT NOT NULL,
      created_at INTEGER NOT NULL, sent INTEGER NOT NULL DEFAULT 0)`);
  }

  dialogCreated(meta: DialogMeta): void {
    if (!this.wanted(meta, "dialog.created")) return;
    const data = {
      dialog_id: meta.dialogId,
      channel: meta.channel,
      visitor_id: meta.visitorId,
      created_at: new Date(meta.createdAt).toISOString(),
    };
    this.add(`dialog:${meta.dialogId}`, {
      event: webhookEvent("dialog.created", meta.tenantId, data, meta.createdAt),
    });
  }

  /** A message written in its final state: the visitor's, an operator's, or an answer with text. */
  messageStored(meta: DialogMeta | null, m: StoredMessage): void {
    if (!meta || !this.wanted(meta, "message.created")) return;
    if (m.role === "assistant" && m.status === "failed" && !m.content) return;
    const data = {
      dialog_id: meta.dialogId,
      channel: meta.channel,
      message_id: m.id,
      seq: m.seq,
      role: m.role,
      content: m.content,
      status: m.status,
      created_at: new Date(m.createdAt).toISOString(),
    };
    this.add(`message:${m.id}`, { event: webhookEvent("message.created", meta.tenantId, data, m.createdAt) });
  }

  /** Leads the sync found new for the tenant (called in the step that marks them synced). */
  leadsCreated(meta: DialogMeta, leads: NewLead[]): void {
    if (meta.channel === "admin" || leads.length === 0) return;
    const last = this.ctx.storage.sql
      .exec<{ content: string }>(`SELECT content FROM messages WHERE role = 'user' ORDER BY seq DESC LIMIT 1`)
      .toArray()[0];
    for (const lead of leads) {
      this.add(
        `lead:${lead.kind}:${lead.value}`,
        leadItem(meta.tenantId, lead, meta.dialogId, last?.content ?? null),
      );
    }
  }

  /** Hands what is waiting to the tenant's outbox after this returns; a failure retries by alarm. */
  flushSoon(tenantId: string): void {
    const waiting = this.ctx.storage.sql
      .exec<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE sent = 0`)
      .one().n;
    if (waiting === 0) return;
    this.ctx.waitUntil(
      this.flush(tenantId).catch(async (err: unknown) => {
        log("warn", "dialog events not handed to the outbox yet; retrying", {
          tenantId,
          error: err instanceof Error ? err.message.slice(0, 200) : String(err),
        });
        const at = Date.now() + HANDOVER_RETRY_MS;
        const current = await this.ctx.storage.getAlarm();
        if (current === null || current > at) await this.ctx.storage.setAlarm(at);
      }),
    );
  }

  private async flush(tenantId: string): Promise<void> {
    const sql = this.ctx.storage.sql;
    for (;;) {
      const rows = sql
        .exec<{ ref: string; item: string }>(
          `SELECT ref, item FROM outbox WHERE sent = 0 ORDER BY created_at LIMIT 50`,
        )
        .toArray();
      if (rows.length === 0) break;
      const items = rows.map((r) => JSON.parse(r.item) as OutboxItem);
      await this.env.OUTBOX.getByName(tenantId).enqueue(tenantId, items);
      for (const r of rows) sql.exec(`UPDATE outbox SET sent = 1 WHERE ref = ?`, r.ref);
    }
    sql.exec(`DELETE FROM outbox WHERE sent = 1 AND created_at < ?`, Date.now() - SENT_RETENTION_MS);
  }

  private wanted(meta: DialogMeta, type: WebhookEventType): boolean {
    if (meta.channel === "admin") return false;
    const subscribed = this.subscribed();
    return subscribed === undefined || subscribed.includes(type);
  }

  private add(ref: string, item: OutboxItem): void {
    this.ctx.storage.sql.exec(
      `INSERT OR IGNORE INTO outbox (ref, item, created_at) VALUES (?, ?, ?)`,
      ref,
      JSON.stringify(item),
      Date.now(),
    );
  }
}
