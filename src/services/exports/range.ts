/** The `from`/`to` days of an export: UTC calendar days, both included, as instants for a query. */

export interface ExportRange {
  /** Inclusive lower bound. */
  from?: Date | undefined;
  /** Exclusive upper bound (the day after `to`). */
  to?: Date | undefined;
}

const DAY_MS = 86_400_000;
/** Bounds Postgres and JS agree on: nothing CIP stores lies outside them. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** `YYYY-MM-DD` days (already validated) to the instants `[from 00:00Z, to + 1 day 00:00Z)`. */
export function exportRange(days: { from?: string | undefined; to?: string | undefined }): ExportRange {
  const day = (d: string) => Math.min(Math.max(Date.parse(`${d}T00:00:00Z`), EARLIEST), LATEST);
  return {
    from: days.from === undefined ? undefined : new Date(day(days.from)),
    to: days.to === undefined ? undefined : new Date(day(days.to) + DAY_MS),
  };
}
