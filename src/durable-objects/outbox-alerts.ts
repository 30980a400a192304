/**
 * The tenant outbox's lead alerts (SQLite): per dialog, the alert waiting for its turn (new leads of the
 * dialog merge into it) and when the last one went out, so a dialog gets at most one alert per gap.
 */
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import type { AlertContact } from "../mail/lead-alert.ts";
import { sendLeadAlert } from "../services/lead-alerts/send.ts";

/** At most one lead alert per dialog in this long; later leads wait and go together. */
export const ALERT_GAP_MS = 10 * 60 * 1000;
/** A tenant's alerts per hour beyond which the waiting ones are held (a flood of made-up contacts). */
export const ALERTS_PER_HOUR = 30;
/** A failed send (Postgres unreachable) waits 30 s, doubling up to 30 min; after 12 it is dropped. */
const FIRST_RETRY_MS = 30_000;
const MAX_FAILURES = 12;

export interface DueAlert {
  key: string;
  dialogId: string | null;
  leads: AlertContact[];
  lastMessage: string | null;
  failures: number;
}

/** How long a sent alert's time is kept: past the gap and the hourly cap's window. */
const SENT_RETENTION_MS = 2 * 60 * 60 * 1000;

export class AlertQueue {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS alerts (key TEXT PRIMARY KEY, dialog_id TEXT, leads TEXT NOT NULL,
      last_message TEXT, due_at INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS alerts_sent (key TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
  }

  /**
   * Adds new leads to the dialog's waiting alert, or opens one due when the dialog's last alert is
   * `gapMs` old: later leads of a dialog ride along with the next alert.
   */
  queue(
    key: string,
    dialogId: string | null,
    leads: AlertContact[],
    lastMessage: string | null,
    now: number,
    gapMs: number,
  ): void {
    const waiting = this.sql
      .exec<{ leads: string; last_message: string | null }>(
        `SELECT leads, last_message FROM alerts WHERE key = ?`,
        key,
      )
      .toArray()[0];
    if (waiting) {
      const merged = [...(JSON.parse(waiting.leads) as AlertContact[])];
      for (const l of leads)
        if (!merged.some((m) => m.kind === l.kind && m.value === l.value)) merged.push(l);
      this.sql.exec(
        `UPDATE alerts SET leads = ?, last_message = ? WHERE key = ?`,
        JSON.stringify(merged),
        lastMessage ?? waiting.last_message,
        key,
      );
      return;
    }
    const sent = this.sql.exec<{ at: number }>(`SELECT at FROM alerts_sent WHERE key = ?`, key).toArray()[0];
    const due = sent ? Math.max(now, sent.at + gapMs) : now;
    this.sql.exec(
      `INSERT INTO alerts (key, dialog_id, leads, last_message, due_at) VALUES (?, ?, ?, ?, ?)`,
      key,
      dialogId,
      JSON.stringify(leads),
      lastMessage,
      due,
    );
  }

  due(now: number): DueAlert[] {
    return this.sql
      .exec<{
        key: string;
        dialog_id: string | null;
        leads: string;
        last_message: string | null;
        failures: number;
      }>(
        `SELECT key, dialog_id, leads, last_message, failures FROM alerts WHERE due_at <= ? ORDER BY due_at`,
        now,
      )
      .toArray()
      .map((r) => ({
        key: r.key,
        dialogId: r.dialog_id,
        leads: JSON.parse(r.leads) as AlertContact[],
        lastMessage: r.last_message,
        failures: r.failures,
      }));
  }

  sent(key: string, at: number): void {
    this.sql.exec(`DELETE FROM alerts WHERE key = ?`, key);
    this.sql.exec(`INSERT OR REPLACE INTO alerts_sent (key, at) VALUES (?, ?)`, key, at);
  }

  /** An alert that could not go out waits until `retryAt` (or is dropped: `retryAt` null). */
  failed(key: string, retryAt: number | null): void {
    if (retryAt === null) this.sql.exec(`DELETE FROM alerts WHERE key = ?`, key);
    else this.sql.exec(`UPDATE alerts SET failures = failures + 1, due_at = ? WHERE key = ?`, retryAt, key);
  }

  /** Holds every waiting alert until `at` (the tenant's hourly cap). */
  postpone(at: number): void {
    this.sql.exec(`UPDATE alerts SET due_at = max(due_at, ?)`, at);
  }

  sentSince(since: number): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM alerts_sent WHERE at >= ?`, since).one().n;
  }

  /** Forgets sent times past any rule that reads them. */
  prune(now: number): void {
    this.sql.exec(`DELETE FROM alerts_sent WHERE at < ?`, now - SENT_RETENTION_MS);
  }

  /** When the next waiting alert is due, or null. */
  nextDue(): number | null {
    return this.sql.exec<{ a: number | null }>(`SELECT min(due_at) AS a FROM alerts`).one().a;
  }
}

/** Sends the alerts whose time has come, within the tenant's hourly cap; failures wait and retry. */
export async function sendDueAlerts(env: Bindings, tenantId: string, queue: AlertQueue): Promise<void> {
  const now = Date.now();
  const due = queue.due(now);
  if (due.length === 0) return;
  if (queue.sentSince(now - 60 * 60 * 1000) >= ALERTS_PER_HOUR) {
    log("warn", "lead alerts held: the hourly cap is reached", { tenantId, waiting: due.length });
    queue.postpone(now + ALERT_GAP_MS);
    return;
  }
  for (const alert of due) {
    try {
      await sendLeadAlert(env, tenantId, alert);
      queue.sent(alert.key, Date.now());
    } catch (err) {
      const failures = alert.failures + 1;
      log("warn", "lead alert not sent; retrying", {
        tenantId,
        failures,
        error: err instanceof Error ? err.message.slice(0, 300) : String(err),
      });
      const wait = Math.min(30 * 60_000, FIRST_RETRY_MS * 2 ** (failures - 1));
      queue.failed(alert.key, failures >= MAX_FAILURES ? null : Date.now() + wait);
    }
  }
}
