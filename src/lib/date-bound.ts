/**
 * The bounds of a date-range filter (`from`, `to` of the dialogs and leads lists): a UTC day
 * (`2026-11-01`) or an ISO datetime. A day as `from` starts at its UTC midnight; a day as `to` includes
 * the whole day.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a day-only bound. */
export function isDayBound(bound: string): boolean {
  return DAY.test(bound);
}

/** The instant (ms) a bound stands for; a `to` day: its last millisecond. */
export function boundInstant(bound: string, side: "from" | "to"): number {
  if (!isDayBound(bound)) return Date.parse(bound);
  const start = Date.parse(`${bound}T00:00:00Z`);
  return side === "from" ? start : start + 86_400_000 - 1;
}
