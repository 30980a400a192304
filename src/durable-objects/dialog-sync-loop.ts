/**
 * The dialog's Postgres sync loop: pushes the rows its SQLite holds, one sync at a time (a request during
 * one runs right after it), never holding the turn queue; a failure sets the object's alarm with backoff
 * (0.5 s … 60 s) until the rows land. After a sync the outbox is flushed and the budget told what landed.
 * A turn's syncs share one connection (each sync is one round trip, see dialog-sync.ts).
 */
import { type DbHandle, openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { reportCommitted } from "./budget-client.ts";
import type { DialogOutbox } from "./dialog-outbox.ts";
import type { DialogMeta, DialogStore } from "./dialog-store.ts";
import { syncDialog } from "./dialog-sync.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

const SYNC_RETRY_MAX_MS = 60_000;

/** The longest a connection is kept between two syncs of one turn (a safety net: the turn's end closes it). */
const KEEP_OPEN_MAX_MS = 60_000;

export class DialogSyncLoop {
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private syncFailures = 0;
  /** The connection kept between the syncs of a running turn, and the timer that closes it regardless. */
  private kept: { handle: DbHandle; timer: ReturnType<typeof setTimeout> } | undefined;
  /** Whether the connection stays open after the current sync (a turn is still running). */
  private keepOpen = false;
  /** The running turn's sync, due unless the turn ends first. */
  private whileRunning: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Bindings,
    private readonly store: DialogStore,
    private readonly outbox: DialogOutbox,
    /** The tenant snapshot the object holds, if any (the budget report skips tenants without caps). */
    private readonly snapshot: () => TenantSnapshot | undefined,
  ) {}

  /**
   * The turn's last sync. Syncs without holding the queue: the next turn needs only this object's
   * SQLite, so a slow or unreachable Postgres never delays it (the alarm retries the rows until they
   * land). The connection a turn kept closes after it.
   */
  later(): void {
    this.keepOpen = false;
    clearTimeout(this.whileRunning);
    this.whileRunning = undefined;
    this.ctx.waitUntil(
      this.sync().catch((err: unknown) => {
        log("error", "dialog sync could not be scheduled", { error: databaseErrorSummary(err) });
      }),
    );
  }

  /**
   * A trigger for one running turn: its first call syncs after `delayMs` unless the turn has ended by
   * then (`later` syncs it all and cancels this), later calls do nothing. So a short answer costs one
   * sync, and a long one gets its visitor message to Postgres while it runs; that sync's connection stays
   * open for the turn's last one.
   */
  onceAfter(delayMs: number): () => void {
    let started = false;
    return () => {
      if (started) return;
      started = true;
      this.keepOpen = true;
      this.whileRunning = setTimeout(() => {
        this.whileRunning = undefined;
        void this.sync();
      }, delayMs);
    };
  }

  /** Pushes pending rows to Postgres; on failure an alarm retries with backoff until they land. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const meta = this.store.meta();
    if (!meta) return Promise.resolve();
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        try {
          const synced = await this.push(meta);
          this.syncFailures = 0;
          // After the rows are in Postgres, so a receiver reading the API finds what an event names.
          this.outbox.flushSoon(meta.tenantId);
          await reportCommitted(this.env, this.snapshot(), meta.tenantId, synced.xid, synced.usage);
        } catch (err) {
          this.syncFailures += 1;
          const delay = Math.min(SYNC_RETRY_MAX_MS, 500 * 2 ** this.syncFailures);
          log("warn", "dialog sync to Postgres failed; retrying", {
            dialogId: meta.dialogId,
            attempt: this.syncFailures,
            error: databaseErrorSummary(err),
          });
          await this.ctx.storage.setAlarm(Date.now() + delay);
          this.syncAgain = false;
        }
      } while (this.syncAgain);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /**
   * One sync statement, on the kept connection when there is one. The statement is safe to repeat, so a
   * kept connection that fails (the server or the pool dropped it meanwhile) gets one retry on a new one.
   */
  private async push(meta: DialogMeta): ReturnType<typeof syncDialog> {
    const reused = this.kept;
    const handle = this.take(meta);
    try {
      const synced = await syncDialog(handle.once, this.store, meta, (leads) =>
        this.outbox.leadsCreated(meta, leads),
      );
      this.release(handle);
      return synced;
    } catch (err) {
      this.discard(handle);
      if (!reused) throw err;
      return this.push(meta);
    }
  }

  private take(meta: DialogMeta): DbHandle {
    if (this.kept) {
      clearTimeout(this.kept.timer);
      const { handle } = this.kept;
      this.kept = undefined;
      return handle;
    }
    return openDatabase(this.env, () => meta.tenantId);
  }

  /** Keeps the connection while the turn runs or another sync is due at once; closes it otherwise. */
  private release(handle: DbHandle): void {
    if (!this.keepOpen && !this.syncAgain) this.discard(handle);
    else this.kept = { handle, timer: setTimeout(() => this.closeKept(), KEEP_OPEN_MAX_MS) };
  }

  private closeKept(): void {
    const kept = this.kept;
    this.kept = undefined;
    if (kept) this.discard(kept.handle);
  }

  /** Not awaited: a connection that hangs must not hold the next sync. */
  private discard(handle: DbHandle): void {
    this.ctx.waitUntil(handle.close());
  }
}

/** The database's own reason, without the statement or its parameters (they carry visitor text). */
function databaseErrorSummary(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code} ` : ""}${cause.message}`.slice(0, 300);
}
