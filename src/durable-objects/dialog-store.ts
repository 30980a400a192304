/**
 * The dialog's own SQLite storage: the durable write-ahead record of every message and lead, written
 * before anything else happens, and marked `synced` once it has reached Postgres.
 */
import type { DialogMeta, StoredMessage, StoredStatus, TakeoverState } from "../chat/dialog-contract.ts";

export type { DialogMeta, StoredMessage, StoredStatus, TakeoverState } from "../chat/dialog-contract.ts";

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  content: string;
  commands: string;
  status: string;
  usage: string | null;
  created_at: number;
  author_id: string | null;
  author_name: string | null;
}

/**
 * The object is the storage's only writer, so the few values every turn reads (the dialog's meta, its
 * takeover state, the last seq) are kept in memory once read, and updated by the writes below.
 */
export class DialogStore {
  /** Called with every message written in a final state (not `streaming`): the live feeds' source. */
  onFinalMessage: ((m: StoredMessage) => void) | undefined;
  private metaValue: DialogMeta | null | undefined;
  private takeoverValue: TakeoverState | null | undefined;
  private lastSeq: number | undefined;

  constructor(private readonly sql: SqlStorage) {
    this.createTables();
  }

  /** After the storage was emptied (the dialog deleted): fresh tables, nothing remembered. */
  reset(): void {
    this.metaValue = null;
    this.takeoverValue = null;
    this.lastSeq = undefined;
    this.createTables();
  }

  private createTables(): void {
    const sql = this.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
      commands TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL, usage TEXT, created_at INTEGER NOT NULL,
      synced INTEGER NOT NULL DEFAULT 0)`);
    // Objects created before operator replies existed get the author columns added in place.
    const columns = sql.exec<{ name: string }>(`PRAGMA table_info(messages)`).toArray();
    if (!columns.some((c) => c.name === "author_id")) {
      sql.exec(`ALTER TABLE messages ADD COLUMN author_id TEXT`);
      sql.exec(`ALTER TABLE messages ADD COLUMN author_name TEXT`);
    }
    // The sync reads the rows not yet in Postgres on every turn: without this it scans the whole dialog.
    sql.exec(`CREATE INDEX IF NOT EXISTS messages_unsynced ON messages (seq) WHERE synced = 0`);
    // Accepted turns still waiting in the queue: durable from the moment they are accepted.
    sql.exec(`CREATE TABLE IF NOT EXISTS pending_turns (id TEXT PRIMARY KEY, content TEXT NOT NULL,
      created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS leads (kind TEXT NOT NULL, value TEXT NOT NULL, raw TEXT NOT NULL,
      synced INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, value))`);
  }

  meta(): DialogMeta | null {
    if (this.metaValue === undefined) this.metaValue = this.readMeta<DialogMeta>("dialog");
    return this.metaValue;
  }

  setMeta(meta: DialogMeta): void {
    this.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('dialog', ?)`, JSON.stringify(meta));
    this.metaValue = meta;
  }

  takeover(): TakeoverState | null {
    if (this.takeoverValue === undefined) this.takeoverValue = this.readMeta<TakeoverState>("takeover");
    return this.takeoverValue;
  }

  private readMeta<T>(key: "dialog" | "takeover"): T | null {
    const row = this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  setTakeover(state: TakeoverState | null): void {
    if (state) {
      this.sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('takeover', ?)`, JSON.stringify(state));
    } else {
      this.sql.exec(`DELETE FROM meta WHERE key = 'takeover'`);
    }
    this.takeoverValue = state;
  }

  nextSeq(): number {
    if (this.lastSeq === undefined) {
      const row = this.sql.exec<{ seq: number | null }>(`SELECT max(seq) AS seq FROM messages`).one();
      this.lastSeq = row.seq ?? 0;
    }
    return this.lastSeq + 1;
  }

  /** Inserts or replaces a message; any write marks it for the next sync. */
  putMessage(m: StoredMessage): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO messages
         (seq, id, role, content, commands, status, usage, created_at, author_id, author_name, synced)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      m.seq,
      m.id,
      m.role,
      m.content,
      JSON.stringify(m.commands),
      m.status,
      m.usage ? JSON.stringify(m.usage) : null,
      m.createdAt,
      m.authorId ?? null,
      m.authorName ?? null,
    );
    if (this.lastSeq !== undefined && m.seq > this.lastSeq) this.lastSeq = m.seq;
    if (m.status !== "streaming") this.onFinalMessage?.(m);
  }

  /** One message by its id (the visitor's rating of an answer), or null. */
  messageById(id: string): StoredMessage | null {
    const row = this.sql.exec<MessageRow>(`SELECT * FROM messages WHERE id = ? LIMIT 1`, id).toArray()[0];
    return row ? toMessage(row) : null;
  }

  /** Messages after `seq` in a final state, in order (`operator` only: the visitor's feed). */
  messagesAfter(seq: number, onlyOperator = false): StoredMessage[] {
    return this.sql
      .exec<MessageRow>(
        `SELECT * FROM messages WHERE seq > ? AND status != 'streaming' AND (? = 0 OR role = 'operator')
         ORDER BY seq`,
        seq,
        onlyOperator ? 1 : 0,
      )
      .toArray()
      .map(toMessage);
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
    // Turns that were queued when the object stopped keep their visitor message (never answered).
    const pending = this.sql
      .exec<{ id: string; content: string; created_at: number }>(
        `SELECT id, content, created_at FROM pending_turns ORDER BY created_at, rowid`,
      )
      .toArray();
    for (const p of pending) {
      this.takePending(p.id);
      this.putMessage({
        seq: this.nextSeq(),
        id: p.id,
        role: "user",
        content: p.content,
        commands: [],
        status: "complete",
        usage: null,
        createdAt: p.created_at,
      });
    }
    return cursor.rowsWritten + pending.length;
  }

  /** Records an accepted turn's visitor message until its turn runs (then it becomes a message). */
  addPending(id: string, content: string, createdAt: number): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO pending_turns (id, content, created_at) VALUES (?, ?, ?)`,
      id,
      content,
      createdAt,
    );
  }

  takePending(id: string): void {
    this.sql.exec(`DELETE FROM pending_turns WHERE id = ?`, id);
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

  /** The visitor's messages so far, queued ones included. */
  visitorMessageCount(): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT (SELECT count(*) FROM messages WHERE role = 'user') + (SELECT count(*) FROM pending_turns) AS n`,
      )
      .one().n;
  }

  stats(): { count: number; lastAt: number | null; preview: string | null; hasLead: boolean } {
    // One statement: the sync asks on every turn.
    const row = this.sql
      .exec<{ n: number; leads: number; content: string | null; created_at: number | null }>(
        `SELECT (SELECT count(*) FROM messages) AS n, EXISTS (SELECT 1 FROM leads) AS leads,
           last.content, last.created_at
         FROM (SELECT 1) LEFT JOIN (SELECT content, created_at FROM messages ORDER BY seq DESC LIMIT 1) last`,
      )
      .one();
    return {
      count: row.n,
      lastAt: row.created_at ?? null,
      preview: row.content === null ? null : row.content.slice(0, 200),
      hasLead: row.leads === 1,
    };
  }
}

function toMessage(row: MessageRow): StoredMessage {
  return {
    seq: row.seq,
    id: row.id,
    role: row.role === "assistant" || row.role === "operator" ? row.role : "user",
    content: row.content,
    commands: JSON.parse(row.commands) as unknown[],
    status: row.status as StoredStatus,
    usage: row.usage ? (JSON.parse(row.usage) as Record<string, number>) : null,
    createdAt: row.created_at,
    authorId: row.author_id ?? null,
    authorName: row.author_name ?? null,
  };
}
