/**
 * Exact token counters of one tenant for the current month, kept by its tenant object. Pure: no storage,
 * no clock of its own.
 *
 * The total of a day is `seed + committed + pending`:
 * - seed: `usage_daily` summed in one Postgres statement, together with that statement's snapshot
 *   (`pg_current_snapshot()`), when the object starts counting;
 * - committed: usage that a dialog's sync statement wrote after the seed. Each report carries the id of the
 *   transaction that wrote it, so a report the seed already saw (its transaction visible in the seed's
 *   snapshot) is ignored: nothing is counted twice, however reports and the seed interleave;
 * - pending: replies that finished but whose rows have not reached Postgres yet, so the cap holds even
 *   while the sync is retried. A commit report removes its pending entry (in either order).
 */

/** A Postgres snapshot (`xmin:xmax:xip,...`), enough to tell whether a committed transaction is in it. */
export interface PgSnapshot {
  xmin: bigint;
  xmax: bigint;
  xip: Set<bigint>;
}

/** Usage of one reply, as a dialog reports it. */
export interface ReplyUsage {
  messageId: string;
  /** UTC day of the reply (`YYYY-MM-DD`). */
  day: string;
  tokens: number;
}

/**
 * Pending entries older than this are dropped. A sync lands within milliseconds normally; after a longer
 * outage its commit report counts the reply again, and a lost report is made good by the next seed.
 */
export const PENDING_MAX_AGE_MS = 15 * 60 * 1000;
/** How long a committed reply id is remembered, so its pending report arriving late is ignored. */
const COMMITTED_MEMORY_MS = 15 * 60 * 1000;

/** Parses the text form of `pg_current_snapshot()`. */
export function parsePgSnapshot(text: string): PgSnapshot {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!match) throw new Error(`not a pg_snapshot: ${text.slice(0, 60)}`);
  const xip = new Set((match[3] ?? "").split(",").filter(Boolean).map(BigInt));
  return { xmin: BigInt(match[1] ?? "0"), xmax: BigInt(match[2] ?? "0"), xip };
}

/** Whether the committed transaction `xid` was visible to a statement that ran with `snapshot`. */
export function visibleIn(snapshot: PgSnapshot, xid: bigint): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.xip.has(xid);
}

export class UsageLedger {
  private seed: { snapshot: PgSnapshot; days: Map<string, number> } | null = null;
  private readonly committed = new Map<string, number>();
  private readonly pending = new Map<string, { day: string; tokens: number; at: number }>();
  private readonly committedIds = new Map<string, number>();
  /** Commit reports that arrived while a seed was being read; checked against its snapshot. */
  private buffered: Array<{ xid: bigint; items: ReplyUsage[] }> | null = null;

  get seeded(): boolean {
    return this.seed !== null;
  }

  /** A seed is being read: commit reports from now on are kept until it arrives. */
  beginSeed(): void {
    this.buffered ??= [];
  }

  /** The seed arrived: per-day totals as of `snapshot`; buffered reports are counted unless it saw them. */
  finishSeed(snapshotText: string, days: Record<string, number>): void {
    this.seed = {
      snapshot: parsePgSnapshot(snapshotText),
      days: new Map(Object.entries(days).map(([d, n]) => [d, Number(n)])),
    };
    this.committed.clear();
    const early = this.buffered ?? [];
    this.buffered = null;
    for (const report of early) this.addCommitted(report.xid, report.items);
  }

  /** The seed could not be read (or went stale before it arrived): nothing is buffered any more. */
  abandonSeed(): void {
    this.buffered = null;
  }

  /** Forget the seed (settings changed): the next check reads a fresh one. Pending replies stay. */
  reset(): void {
    this.seed = null;
    this.committed.clear();
    this.buffered = null;
  }

  /** A reply finished with this usage; it counts at once, until its commit report replaces it. */
  addPending(item: ReplyUsage, now: number): void {
    this.prune(now);
    if (this.committedIds.has(item.messageId) || item.tokens <= 0) return;
    this.pending.set(item.messageId, { day: item.day, tokens: item.tokens, at: now });
  }

  /** A sync statement (transaction `xid`) wrote this usage to Postgres. */
  commit(xid: string, items: ReplyUsage[], now: number): void {
    this.prune(now);
    for (const item of items) {
      this.pending.delete(item.messageId);
      this.committedIds.set(item.messageId, now);
    }
    const id = BigInt(xid);
    if (this.seed) this.addCommitted(id, items);
    else this.buffered?.push({ xid: id, items });
    // Neither seeded nor seeding: the seed, when it is read, will include this transaction.
  }

  /** Tokens counted for a UTC day. */
  day(day: string): number {
    let total = (this.seed?.days.get(day) ?? 0) + (this.committed.get(day) ?? 0);
    for (const p of this.pending.values()) if (p.day === day) total += p.tokens;
    return total;
  }

  /** Tokens counted for a month (`YYYY-MM`). */
  month(month: string): number {
    let total = 0;
    for (const [d, n] of this.seed?.days ?? []) if (d.startsWith(month)) total += n;
    for (const [d, n] of this.committed) if (d.startsWith(month)) total += n;
    for (const p of this.pending.values()) if (p.day.startsWith(month)) total += p.tokens;
    return total;
  }

  private addCommitted(xid: bigint, items: ReplyUsage[]): void {
    if (!this.seed || visibleIn(this.seed.snapshot, xid)) return;
    for (const item of items) this.committed.set(item.day, (this.committed.get(item.day) ?? 0) + item.tokens);
  }

  /** Both maps are in insertion (time) order, so pruning stops at the first entry still young. */
  private prune(now: number): void {
    for (const [id, p] of this.pending) {
      if (now - p.at <= PENDING_MAX_AGE_MS) break;
      this.pending.delete(id);
    }
    for (const [id, at] of this.committedIds) {
      if (now - at <= COMMITTED_MEMORY_MS) break;
      this.committedIds.delete(id);
    }
  }
}
