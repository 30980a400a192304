/**
 * The budget half of a tenant object: answers "may this turn call the model?" from exact counters. Token
 * caps are checked against a `UsageLedger` (seeded from `usage_daily` on first use, then kept current by
 * the dialogs' reports); the per-visitor message rate is a sliding one-hour window per visitor in the
 * object's SQLite storage, so it is exact across evictions and concurrent sends (the object runs one check
 * at a time; the check and the count are one synchronous step).
 */
import { sql } from "drizzle-orm";
import {
  type AdmissionLeaseTerms,
  admissionLease,
  type BudgetCaps,
  type BudgetRefusal,
  monthOf,
  refusal,
  secondsToNextDay,
  secondsToNextMonth,
  utcDay,
  VISITOR_WINDOW_MS,
} from "../chat/budget-rules.ts";
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { type ReplyUsage, UsageLedger } from "./usage-ledger.ts";

export interface AdmitRequest {
  /** `channel:visitor id`: whom the message rate counts. */
  visitorKey: string;
  caps: BudgetCaps;
  locale: string;
}

/** `lease`: what the dialog may do before it asks again (budget-rules.ts `admissionLease`). */
export type AdmitDecision = { ok: true; lease: AdmissionLeaseTerms } | ({ ok: false } & BudgetRefusal);

/** After a failed seed, the next attempt waits this long (the chat stays open meanwhile). */
const SEED_RETRY_MS = 5000;
/** Old window rows of all visitors are swept after this many checks. */
const SWEEP_EVERY = 500;

export class BudgetGate {
  private readonly ledger = new UsageLedger();
  private seeding: Promise<void> | undefined;
  private seedFailedAt = 0;
  /** Bumped by `reset()`, so a seed read before it is not used. */
  private generation = 0;
  private checks = 0;

  constructor(
    private readonly storage: SqlStorage,
    private readonly env: Bindings,
  ) {
    storage.exec(`CREATE TABLE IF NOT EXISTS visitor_messages (visitor TEXT NOT NULL, at INTEGER NOT NULL)`);
    storage.exec(`CREATE INDEX IF NOT EXISTS visitor_messages_idx ON visitor_messages (visitor, at)`);
  }

  /** Decides one turn; an admitted turn counts against its visitor's rate. Never throws. */
  async admit(tenantId: string, req: AdmitRequest, now = Date.now()): Promise<AdmitDecision> {
    const { dailyTokens, monthlyTokens, visitorMessagesPerHour } = req.caps;
    if (dailyTokens !== null || monthlyTokens !== null) {
      if (!this.ledger.seeded) await this.seed(tenantId);
      // Without a seed (Postgres unreachable) the caps cannot be judged; the chat stays open.
      if (this.ledger.seeded) {
        const day = utcDay(now);
        if (dailyTokens !== null && this.ledger.day(day) >= dailyTokens)
          return { ok: false, ...refusal("daily", req.locale, secondsToNextDay(now)) };
        if (monthlyTokens !== null && this.ledger.month(monthOf(day)) >= monthlyTokens)
          return { ok: false, ...refusal("monthly", req.locale, secondsToNextMonth(now)) };
      }
    }
    if (visitorMessagesPerHour !== null) {
      const retryAfter = this.countVisitor(req.visitorKey, visitorMessagesPerHour, now);
      if (retryAfter > 0) return { ok: false, ...refusal("visitor", req.locale, retryAfter) };
    }
    const day = utcDay(now);
    const used = this.ledger.seeded
      ? { day: this.ledger.day(day), month: this.ledger.month(monthOf(day)) }
      : null;
    return { ok: true, lease: admissionLease(req.caps, used) };
  }

  /** A reply finished with this usage (its rows are not in Postgres yet). */
  pending(item: ReplyUsage, now = Date.now()): void {
    this.ledger.addPending(item, now);
  }

  /** A dialog's sync statement (transaction `xid`) wrote this usage to Postgres. */
  committed(xid: string, items: ReplyUsage[], now = Date.now()): void {
    this.ledger.commit(xid, items, now);
  }

  /** The tenant's settings changed: read a fresh seed on the next check (replies in flight stay counted). */
  reset(): void {
    this.generation += 1;
    this.seedFailedAt = 0;
    this.seeding = undefined;
    this.ledger.reset();
  }

  /** Today's and this month's counted tokens, as the caps see them. */
  usage(now = Date.now()): { seeded: boolean; day: number; month: number } {
    const day = utcDay(now);
    return { seeded: this.ledger.seeded, day: this.ledger.day(day), month: this.ledger.month(monthOf(day)) };
  }

  /**
   * Counts a message of `visitor` if fewer than `limit` were admitted in the last hour; answers 0 when it
   * was counted, else the seconds until the oldest one leaves the window.
   */
  private countVisitor(visitor: string, limit: number, now: number): number {
    const since = now - VISITOR_WINDOW_MS;
    this.checks += 1;
    if (this.checks % SWEEP_EVERY === 0)
      this.storage.exec(`DELETE FROM visitor_messages WHERE at <= ?`, since);
    else this.storage.exec(`DELETE FROM visitor_messages WHERE visitor = ? AND at <= ?`, visitor, since);
    const row = this.storage
      .exec<{ n: number; oldest: number | null }>(
        `SELECT count(*) AS n, min(at) AS oldest FROM visitor_messages WHERE visitor = ?`,
        visitor,
      )
      .one();
    if (row.n >= limit) {
      const oldest = row.oldest ?? now;
      return Math.max(1, Math.ceil((oldest + VISITOR_WINDOW_MS - now) / 1000));
    }
    this.storage.exec(`INSERT INTO visitor_messages (visitor, at) VALUES (?, ?)`, visitor, now);
    return 0;
  }

  /** Reads the month's per-day totals and the statement's snapshot; concurrent checks share one read. */
  private seed(tenantId: string): Promise<void> {
    if (this.seeding) return this.seeding;
    if (Date.now() - this.seedFailedAt < SEED_RETRY_MS) return Promise.resolve();
    const generation = this.generation;
    this.ledger.beginSeed();
    const seeding = (async () => {
      const handle = openDatabase(this.env, () => tenantId);
      try {
        const monthStart = `${monthOf(utcDay(Date.now()))}-01`;
        const result = await handle.db.execute<{ snapshot: string; days: Record<string, number> }>(sql`
          select pg_current_snapshot()::text as snapshot,
            coalesce((select json_object_agg(s.day, s.tokens) from (
              select day::text as day, sum(prompt_tokens + completion_tokens) as tokens
              from usage_daily where tenant_id = ${tenantId} and day >= ${monthStart}::date group by day) s),
              '{}'::json) as days`);
        const row = result.rows[0];
        if (!row) throw new Error("the seed query returned no row");
        if (generation === this.generation) this.ledger.finishSeed(row.snapshot, row.days);
      } catch (err) {
        if (generation === this.generation) {
          this.ledger.abandonSeed();
          this.seedFailedAt = Date.now();
        }
        log("warn", "budget counters could not be read; caps are not enforced until they are", {
          tenantId,
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        // Not awaited: the turn waiting on the seed needs the rows, not the commit and the goodbye
        // (two more round trips); `close` never rejects.
        void handle.close();
      }
    })().finally(() => {
      if (this.seeding === seeding) this.seeding = undefined;
    });
    this.seeding = seeding;
    return seeding;
  }
}
