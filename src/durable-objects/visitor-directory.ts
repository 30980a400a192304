/**
 * One small object per (tenant, web visitor): which dialog the visitor was last active in, and when. A
 * chat message without `dialog_id` asks it which dialog to continue (src/chat/continuation.ts), so a
 * client written for the original backend, which never sends one, keeps its conversation. Every accepted
 * web turn tells it (from the dialog object, off the turn's path), so a warm visitor's lookup is answered
 * from memory or the object's SQLite, never Postgres. Postgres is read once per visitor, when the object
 * has never heard of them (dialogs from before it existed); docs/chat-engine.md explains the choice.
 */
import { DurableObject } from "cloudflare:workers";
import type { LatestDialog } from "../chat/continuation.ts";
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { latestWebDialog } from "../services/dialogs/visitor-dialogs.ts";

/** How long a first lookup waits for Postgres before the message starts a new dialog instead. */
const COLD_PATIENCE_MS = 2_000;

interface Row extends Record<string, SqlStorageValue> {
  dialog_id: string | null;
  at: number;
}

/** The object's name: the tenant id is a fixed-length uuid, so no two (tenant, visitor) pairs share one. */
export function visitorDirectoryName(tenantId: string, visitorId: string): string {
  return `${tenantId}:web:${visitorId}`;
}

export class VisitorDirectory extends DurableObject<Bindings> {
  /** The latest dialog (null: known to have none); undefined until read from storage. */
  private entry: LatestDialog | null | undefined;
  private loading: Promise<LatestDialog | null> | undefined;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    // One row: a null dialog_id records "Postgres was asked and knew none".
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS latest (id INTEGER PRIMARY KEY CHECK (id = 1), dialog_id TEXT, at INTEGER NOT NULL)",
    );
  }

  /** The visitor's latest web dialog, or null when they have none (the first lookup may ask Postgres). */
  async latest(tenantId: string, visitorId: string): Promise<LatestDialog | null> {
    const known = this.stored();
    if (known !== undefined) return known;
    this.loading ??= this.coldLookup(tenantId, visitorId).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** An accepted turn of `dialogId` at `at`: it becomes the latest unless another was active since. */
  record(dialogId: string, at: number): void {
    const known = this.stored();
    if (known && known.dialogId !== dialogId && known.lastActivity > at) return;
    this.save({
      dialogId,
      lastActivity: Math.max(at, known?.dialogId === dialogId ? known.lastActivity : 0),
    });
  }

  /** The dialog cannot be continued (its object refused it): the next message starts a new one. */
  forget(dialogId: string): void {
    if (this.stored()?.dialogId === dialogId) this.save(null);
  }

  private stored(): LatestDialog | null | undefined {
    if (this.entry === undefined) {
      const row = this.ctx.storage.sql
        .exec<Row>("SELECT dialog_id, at FROM latest WHERE id = 1")
        .toArray()[0];
      if (row) this.entry = row.dialog_id ? { dialogId: row.dialog_id, lastActivity: row.at } : null;
    }
    return this.entry;
  }

  private save(entry: LatestDialog | null): void {
    this.entry = entry;
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO latest (id, dialog_id, at) VALUES (1, ?, ?)",
      entry?.dialogId ?? null,
      entry?.lastActivity ?? 0,
    );
  }

  /**
   * First lookup: Postgres, bounded. A failure or a slow answer starts a new dialog rather than hold the
   * message (nothing is stored, so the next lookup asks again unless that new dialog was recorded).
   */
  private async coldLookup(tenantId: string, visitorId: string): Promise<LatestDialog | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise<"slow">((resolve) => {
      timer = setTimeout(() => resolve("slow"), COLD_PATIENCE_MS);
    });
    const load = this.loadFromDatabase(tenantId, visitorId);
    try {
      const found = await Promise.race([load, patience]);
      if (found === "slow") {
        load.catch(() => {});
        throw new Error("timed out");
      }
      // A turn recorded while Postgres was asked is newer than anything Postgres had.
      const now = this.stored();
      if (now !== undefined) return now;
      this.save(found);
      return found;
    } catch (err) {
      log("warn", "visitor directory could not read Postgres; the message starts a new dialog", {
        tenantId,
        error: err instanceof Error ? err.message : String(err),
      });
      return this.stored() ?? null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async loadFromDatabase(tenantId: string, visitorId: string): Promise<LatestDialog | null> {
    const handle = openDatabase(this.env, () => tenantId);
    try {
      return await latestWebDialog(handle.db, tenantId, visitorId);
    } finally {
      this.ctx.waitUntil(handle.close());
    }
  }
}

/** The visitor's latest web dialog (see `VisitorDirectory.latest`). */
export function latestVisit(
  env: Bindings,
  tenantId: string,
  visitorId: string,
): Promise<LatestDialog | null> {
  return env.VISITORS.getByName(visitorDirectoryName(tenantId, visitorId)).latest(tenantId, visitorId);
}

/** Tells the visitor's directory about an accepted turn; never rejects (a lost record only costs continuity). */
export async function recordVisit(
  env: Bindings,
  turn: { tenantId: string; visitorId: string; dialogId: string },
  at: number,
): Promise<void> {
  try {
    await env.VISITORS.getByName(visitorDirectoryName(turn.tenantId, turn.visitorId)).record(
      turn.dialogId,
      at,
    );
  } catch (err) {
    log("warn", "visitor directory record failed", {
      dialogId: turn.dialogId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/** Drops `dialogId` as the visitor's latest (it could not be continued). */
export async function forgetVisit(
  env: Bindings,
  tenantId: string,
  visitorId: string,
  dialogId: string,
): Promise<void> {
  await env.VISITORS.getByName(visitorDirectoryName(tenantId, visitorId)).forget(dialogId);
}
