import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env.ts";

/**
 * One object per dialog (SQLite-backed). It is the dialog's single writer: it hands out message sequence
 * numbers in arrival order, durably, so two turns of one dialog can never claim the same place.
 * The chat engine builds on it (turn queue, write-ahead of messages).
 */
export class DialogObject extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS dialog_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
      );
    });
  }

  /**
   * Reserves `count` consecutive sequence numbers (clamped to 1..100) and returns the first.
   * It never throws: an exception crossing RPC would also surface as an uncaught error inside the object.
   */
  reserveSeq(count = 1): number {
    count = Math.min(100, Math.max(1, Math.trunc(Number(count) || 1)));
    const row = this.ctx.storage.sql
      .exec<{ value: number }>(
        `INSERT INTO dialog_meta (key, value) VALUES ('next_seq', 1 + ?)
         ON CONFLICT (key) DO UPDATE SET value = value + ?
         RETURNING value`,
        count,
        count,
      )
      .one();
    return row.value - count;
  }
}
