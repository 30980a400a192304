/**
 * The dialog object's side of the cabinet's delete (docs/cabinet.md, "Dialog triage"). The object
 * refuses new turns while this runs; here the queue drains (the running turn was told to stop), a sync
 * under way ends (so no sync can write the dialog's Postgres row after the route deletes it), and then the
 * whole storage goes: messages, leads, pending turns, outbox, alarm. Afterwards the object knows no dialog:
 * a web turn naming the id is refused (404) and the visitor directory then forgets it; a Telegram chat,
 * whose dialog id is derived from the chat, starts a new, empty dialog.
 */
import type { DialogOutbox } from "./dialog-outbox.ts";
import type { DialogStore } from "./dialog-store.ts";
import type { DialogSyncLoop } from "./dialog-sync-loop.ts";

/** What the object's queue shows of itself while it drains. */
export interface TurnQueue {
  queued(): number;
  chain(): Promise<void>;
}

const DRAIN_POLL_MS = 10;

/** Waits until no turn is queued, running or being accepted. */
async function drain(queue: TurnQueue): Promise<void> {
  while (queue.queued() > 0) {
    await queue.chain().catch(() => undefined);
    // A turn still being accepted is counted before it joins the chain.
    if (queue.queued() > 0) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}

/** Drains the queue, lets a running sync end, then empties the storage for good. */
export async function eraseDialog(
  ctx: DurableObjectState,
  queue: TurnQueue,
  parts: { store: DialogStore; outbox: DialogOutbox; syncLoop: DialogSyncLoop },
): Promise<void> {
  await drain(queue);
  // Joins a sync under way (or runs one): a failure only means Postgres may lack rows about to go anyway.
  await parts.syncLoop.sync().catch(() => undefined);
  await ctx.storage.deleteAlarm();
  await ctx.storage.deleteAll();
  parts.store.reset();
  parts.outbox.createTable();
}
