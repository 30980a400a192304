/**
 * The dialog's Postgres sync loop: pushes the rows its SQLite holds, one sync at a time (a request during
 * one runs right after it), never holding the turn queue; a failure sets the object's alarm with backoff
 * (0.5 s … 60 s) until the rows land. After a sync the outbox is flushed and the budget told what landed.
 */
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { reportCommitted } from "./budget-client.ts";
import type { DialogOutbox } from "./dialog-outbox.ts";
import type { DialogStore } from "./dialog-store.ts";
import { syncDialog } from "./dialog-sync.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

const SYNC_RETRY_MAX_MS = 60_000;

export class DialogSyncLoop {
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private syncFailures = 0;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Bindings,
    private readonly store: DialogStore,
    private readonly outbox: DialogOutbox,
    /** The tenant snapshot the object holds, if any (the budget report skips tenants without caps). */
    private readonly snapshot: () => TenantSnapshot | undefined,
  ) {}

  /**
   * Syncs without holding the queue: the next turn needs only this object's SQLite, so a slow or
   * unreachable Postgres never delays it (the alarm retries the rows until they land).
   */
  later(): void {
    this.ctx.waitUntil(
      this.sync().catch((err: unknown) => {
        log("error", "dialog sync could not be scheduled", { error: databaseErrorSummary(err) });
      }),
    );
  }

  /**
   * A trigger for one turn: its first call syncs after `delayMs` (so the first tokens leave the object
   * before the sync's own synchronous work starts), later calls do nothing.
   */
  onceAfter(delayMs: number): () => void {
    let started = false;
    return () => {
      if (started) return;
      started = true;
      setTimeout(() => void this.sync(), delayMs);
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
        const handle = openDatabase(this.env, () => meta.tenantId);
        try {
          const synced = await syncDialog(handle.once, this.store, meta, (leads) =>
            this.outbox.leadsCreated(meta, leads),
          );
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
        } finally {
          // Not awaited: a connection that hangs must not hold the next sync.
          this.ctx.waitUntil(handle.close());
        }
      } while (this.syncAgain);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }
}

/** The database's own reason, without the statement or its parameters (they carry visitor text). */
function databaseErrorSummary(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code} ` : ""}${cause.message}`.slice(0, 300);
}
