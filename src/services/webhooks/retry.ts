/**
 * When a failed delivery is tried again: at fixed offsets from the event's creation, the first retry
 * 5 s after it and the last 24 h after it (12 tries in all). Offsets from the event, not from the last
 * try, so a receiver that is down for a day gets the same tries however long each one took.
 */
export const RETRY_OFFSETS_MS = [
  0,
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 60 * 60_000,
  4 * 60 * 60_000,
  8 * 60 * 60_000,
  16 * 60 * 60_000,
  24 * 60 * 60_000,
];

/** Two tries of one delivery are at least this far apart. */
const MIN_GAP_MS = 1_000;

/** When try number `attemptsMade + 1` is due, or null when `attemptsMade` was the last one. */
export function nextAttemptAt(createdAt: number, attemptsMade: number, now: number): number | null {
  const offset = RETRY_OFFSETS_MS[attemptsMade];
  if (offset === undefined) return null;
  return Math.max(createdAt + offset, now + MIN_GAP_MS);
}
