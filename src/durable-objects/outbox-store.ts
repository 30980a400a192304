/**
 * The tenant outbox's SQLite storage: events (kept a day past their last try, so an event handed over
 * twice is stored once), one delivery row per (event, hook) until it succeeds or runs out of tries, and
 * attempts Postgres has not taken yet. Lead alerts have their own tables (outbox-alerts.ts).
 */

import type { AttemptRecord } from "../services/webhooks/attempts.ts";

/** An event is kept this long (deliveries end 24 h after it), so a repeated hand-over is recognised. */
const EVENT_RETENTION_MS = 25 * 60 * 60 * 1000;

export interface DueDelivery {
  eventId: string;
  webhookId: string;
  type: string;
  body: string;
  createdAt: number;
  attempts: number;
}

export class OutboxStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL,
      created_at INTEGER NOT NULL, fanned INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (event_id TEXT NOT NULL, webhook_id TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, PRIMARY KEY (event_id, webhook_id))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS attempts (id TEXT PRIMARY KEY, record TEXT NOT NULL)`);
  }

  tenantId(): string | null {
    const row = this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'tenant'`).toArray()[0];
    return row?.value ?? null;
  }

  setTenant(tenantId: string): void {
    this.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('tenant', ?)`, tenantId);
  }

  /** Stores an event; false when it was stored before (handed over again). */
  addEvent(id: string, type: string, body: string, createdAt: number): boolean {
    const cursor = this.sql.exec(
      `INSERT OR IGNORE INTO events (id, type, body, created_at) VALUES (?, ?, ?, ?)`,
      id,
      type,
      body,
      createdAt,
    );
    return cursor.rowsWritten > 0;
  }

  /** Events not yet matched with the hooks that subscribe to them. */
  unfanned(): Array<{ id: string; type: string }> {
    return this.sql
      .exec<{ id: string; type: string }>(`SELECT id, type FROM events WHERE fanned = 0 ORDER BY created_at`)
      .toArray();
  }

  fanOut(eventId: string, webhookIds: string[], at: number): void {
    for (const webhookId of webhookIds) {
      this.sql.exec(
        `INSERT OR IGNORE INTO deliveries (event_id, webhook_id, next_at) VALUES (?, ?, ?)`,
        eventId,
        webhookId,
        at,
      );
    }
    this.sql.exec(`UPDATE events SET fanned = 1 WHERE id = ?`, eventId);
  }

  /** Forgets the deliveries of hooks that no longer exist. */
  keepOnlyHooks(webhookIds: string[]): void {
    const placeholders = webhookIds.map(() => "?").join(",");
    this.sql.exec(`DELETE FROM deliveries WHERE webhook_id NOT IN (${placeholders || "''"})`, ...webhookIds);
  }

  due(now: number, limit: number): DueDelivery[] {
    return this.sql
      .exec<{
        event_id: string;
        webhook_id: string;
        type: string;
        body: string;
        created_at: number;
        attempts: number;
      }>(
        `SELECT d.event_id, d.webhook_id, e.type, e.body, e.created_at, d.attempts
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.next_at <= ? ORDER BY d.next_at, e.created_at LIMIT ?`,
        now,
        limit,
      )
      .toArray()
      .map((r) => ({
        eventId: r.event_id,
        webhookId: r.webhook_id,
        type: r.type,
        body: r.body,
        createdAt: r.created_at,
        attempts: r.attempts,
      }));
  }

  /** After a try: the delivery ends (`nextAt` null) or waits for its next try. */
  settle(eventId: string, webhookId: string, attempts: number, nextAt: number | null): void {
    if (nextAt === null) {
      this.sql.exec(`DELETE FROM deliveries WHERE event_id = ? AND webhook_id = ?`, eventId, webhookId);
    } else {
      this.sql.exec(
        `UPDATE deliveries SET attempts = ?, next_at = ? WHERE event_id = ? AND webhook_id = ?`,
        attempts,
        nextAt,
        eventId,
        webhookId,
      );
    }
  }

  keepAttempts(records: AttemptRecord[]): void {
    for (const r of records)
      this.sql.exec(`INSERT OR IGNORE INTO attempts (id, record) VALUES (?, ?)`, r.id, JSON.stringify(r));
  }

  unsavedAttempts(limit: number): AttemptRecord[] {
    return this.sql
      .exec<{ record: string }>(`SELECT record FROM attempts ORDER BY rowid LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.record) as AttemptRecord);
  }

  dropAttempts(ids: string[]): void {
    for (const id of ids) this.sql.exec(`DELETE FROM attempts WHERE id = ?`, id);
  }

  /** Drops events past their last try. */
  prune(now: number): void {
    this.sql.exec(
      `DELETE FROM events WHERE created_at < ? AND fanned = 1
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)`,
      now - EVENT_RETENTION_MS,
    );
  }

  /** The earliest moment something is due: a delivery, unsaved attempts or unmatched events. */
  nextWake(now: number, retryMs: number): number | null {
    const row = this.sql.exec<{ d: number | null }>(`SELECT min(next_at) AS d FROM deliveries`).one();
    const times = row.d === null ? [] : [row.d];
    const stuck = this.sql
      .exec<{ n: number }>(
        `SELECT (SELECT count(*) FROM attempts) + (SELECT count(*) FROM events WHERE fanned = 0) AS n`,
      )
      .one().n;
    if (stuck > 0) times.push(now + retryMs);
    return times.length ? Math.min(...times) : null;
  }
}
