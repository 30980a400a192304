/**
 * The SQL of a `from`/`to` filter on a timestamp column (src/lib/date-bound.ts says what a bound means).
 * A day compares by its UTC midnight, so the session's time zone never shifts it; the end of a `to` day
 * is the next midnight, excluded, so rows at any microsecond of that day are in.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { isDayBound } from "../lib/date-bound.ts";

/** Bounds as validated by the API (either may be absent). */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** The conditions that keep `column` inside the range (none when it has no bounds). */
export function inDateRange(column: AnyPgColumn, range: DateRange): SQL[] {
  const where: SQL[] = [];
  if (range.from) {
    where.push(
      isDayBound(range.from)
        ? sql`${column} >= (${range.from}::date)::timestamp at time zone 'UTC'`
        : sql`${column} >= ${range.from}::timestamptz`,
    );
  }
  if (range.to) {
    where.push(
      isDayBound(range.to)
        ? sql`${column} < (${range.to}::date + 1)::timestamp at time zone 'UTC'`
        : sql`${column} <= ${range.to}::timestamptz`,
    );
  }
  return where;
}
