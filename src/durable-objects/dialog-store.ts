/**
 * The dialog's own SQLite storage: the durable write-ahead record of every message and lead, written
 * before anything else happens, and marked `synced` once it has reached Postgres.
 */
import type { Channel } from "../commands/types.ts";

export interface DialogMeta {
  dialogId: string;
  tenantId: string;
  channel: Channel;
  visitorId: string;
  userId: string | null;
  createdAt: number;
}

export type StoredStatus = "streaming" | "complete" | "partial" | "failed" | "stopped";

export interface StoredMessage {
  seq: number;
  id: string;
  role: "user" | "assistant";
  content: string;
  commands: unknown[];
  status: StoredStatus;
  usage: Record<string, number> | null;
  createdAt: number;
}

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  content: string;
  commands: string;
  status: string;
  usage: string | null;
  created_at: number;
}

export class DialogStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
      commands TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL, usage TEXT, created_at INTEGER NOT NULL,
      synced INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS leads (kind TEXT NOT NULL, value TEXT NOT NULL, raw TEXT NOT NULL,
      synced INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, value))`);
  }

  meta(): DialogMeta | null {
    const row = this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'dialog'`).toArray()[0];
    return row ? (JSON.parse(row.value) as DialogMeta) : null;
  }

  setMeta(meta: DialogMeta): void {
    this.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('dialog', ?)`, JSON.stringify(meta));
  }

  nextSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>(`SELECT max(seq) AS seq FROM messages`).one();
    return (row.seq ?? 0) + 1;
  }

  /** Inserts or replaces a message; any write marks it for the next sync. */
  putMessage(m: StoredMessage): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO messages (seq, id, role, content, commands, status, usage, created_at, synced)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      m.seq,
      m.id,
      m.role,
      m.content,
      JSON.stringify(m.commands),
      m.status,
      m.usage ? JSON.stringify(m.usage) : null,
      m.createdAt,
    );
  }

  /** The newest messages whose content fits `charBudget` (at most `maxCount`), oldest first. */
  history(charBudget: number, maxCount: number): StoredMessage[] {
    const rows = this.sql
      .exec<MessageRow>(
        `SELECT * FROM messages WHERE status != 'streaming' ORDER BY seq DESC LIMIT ?`,
        maxCount,
      )
      .toArray();
    const picked: StoredMessage[] = [];
    let used = 0;
    for (const row of rows) {
      used += row.content.length;
      if (used > charBudget && picked.length > 0) break;
      picked.push(toMessage(row));
    }
    return picked.reverse();
  }

  /** Messages not yet in Postgres, in order; a message still streaming waits for its end. */
  unsyncedMessages(): StoredMessage[] {
    return this.sql
      .exec<MessageRow>(`SELECT * FROM messages WHERE synced = 0 AND status != 'streaming' ORDER BY seq`)
      .toArray()
      .map(toMessage);
  }

  markMessagesSynced(seqs: number[], writtenAt: Map<number, string>): void {
    for (const seq of seqs) {
      // Only if unchanged since it was read: a later write keeps it pending.
      this.sql.exec(
        `UPDATE messages SET synced = 1 WHERE seq = ? AND content || status = ?`,
        seq,
        writtenAt.get(seq) ?? "",
      );
    }
  }

  /** Messages left `streaming` by an interrupted run: they become partial (or failed when empty). */
  recoverInterrupted(): number {
    const cursor = this.sql.exec(
      `UPDATE messages SET status = CASE WHEN content = '' THEN 'failed' ELSE 'partial' END, synced = 0
       WHERE status = 'streaming'`,
    );
    return cursor.rowsWritten;
  }

  addLead(kind: "email" | "phone", value: string, raw: string): boolean {
    const cursor = this.sql.exec(
      `INSERT OR IGNORE INTO leads (kind, value, raw) VALUES (?, ?, ?)`,
      kind,
      value,
      raw,
    );
    return cursor.rowsWritten > 0;
  }

  unsyncedLeads(): Array<{ kind: string; value: string; raw: string }> {
    return this.sql
      .exec<{ kind: string; value: string; raw: string }>(
        `SELECT kind, value, raw FROM leads WHERE synced = 0`,
      )
      .toArray();
  }

  markLeadsSynced(leads: Array<{ kind: string; value: string }>): void {
    for (const l of leads)
      this.sql.exec(`UPDATE leads SET synced = 1 WHERE kind = ? AND value = ?`, l.kind, l.value);
  }

  stats(): { count: number; lastAt: number | null; preview: string | null; hasLead: boolean } {
    const count = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM messages`).one().n;
    const last = this.sql
      .exec<{ content: string; created_at: number }>(
        `SELECT content, created_at FROM messages ORDER BY seq DESC LIMIT 1`,
      )
      .toArray()[0];
    const leads = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM leads`).one().n;
    return {
      count,
      lastAt: last?.created_at ?? null,
      preview: last ? last.content.slice(0, 200) : null,
      hasLead: leads > 0,
    };
  }
}

function toMessage(row: MessageRow): StoredMessage {
  return {
    seq: row.seq,
    id: row.id,
    role: row.role === "assistant" ? "assistant" : "user",
    content: row.content,
    commands: JSON.parse(row.commands) as unknown[],
    status: row.status as StoredStatus,
    usage: row.usage ? (JSON.parse(row.usage) as Record<string, number>) : null,
    createdAt: row.created_at,
  };
}
