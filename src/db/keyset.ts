/**
 * Keyset pagination for every newest-first list of the API (dialogs, leads, saved items, files,
 * documents, prompt history, mail deliveries). A position is the row's timestamp as Postgres stores it
 * (microseconds, UTC text: a JS Date keeps milliseconds only, so rows written in one statement, which
 * share a `created_at`, would be skipped) plus its id as the tie-breaker, compared as one row value.
 * The API sees it as opaque base64url text.
 */
import { desc, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { AppError } from "../errors.ts";
import { UUID_RE } from "../lib/uuid.ts";

/** A position in a newest-first list: the row's timestamp (microseconds, UTC) and id. */
export interface KeysetCursor {
  at: string;
  id: string;
}

/** One page of a list and the cursor of the next (null on the last page). */
export interface KeysetPage<T> {
  items: T[];
  next_cursor: string | null;
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The opaque cursor text (base64url of JSON) for a position. */
export function encodeCursor(cursor: KeysetCursor): string {
  return btoa(JSON.stringify([cursor.at, cursor.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Reads a cursor made by `encodeCursor`; null for anything else (never text Postgres would refuse). */
export function parseCursor(raw: string): KeysetCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(raw.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [at, id] = parsed as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !CURSOR_AT.test(at) || !UUID_RE.test(id))
    return null;
  // Reject dates the calendar lacks (Feb 30): Postgres would refuse them with an error.
  const ms = Date.parse(`${at.slice(0, 23)}Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 23) !== at.slice(0, 23)) return null;
  return { at, id };
}

/** Like `parseCursor`, but anything else is a 422 naming `cursor`, never a database error. */
export function decodeCursor(raw: string): KeysetCursor {
  const cursor = parseCursor(raw);
  if (!cursor) {
    throw new AppError("validation_failed", "The request is not valid.", {
      issues: [{ path: "cursor", message: "Not a cursor this API made." }],
    });
  }
  return cursor;
}

/** A timestamp column as exact UTC text with microseconds: select it beside the row for its cursor. */
export function exactTimestamp(column: AnyPgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** `(at, id) < cursor`, the keyset condition of a newest-first page. */
export function olderThan(atColumn: AnyPgColumn, idColumn: AnyPgColumn, cursor: KeysetCursor): SQL {
  return sql`(${atColumn}, ${idColumn}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/** The order that matches `olderThan`: newest first, ties by id. */
export function newestFirst(atColumn: AnyPgColumn, idColumn: AnyPgColumn): SQL[] {
  return [desc(atColumn), desc(idColumn)];
}

/**
 * Cuts the `limit + 1` rows a keyset query fetched into a page: the extra row only says that more
 * follow, and the cursor is the last shown row's position.
 */
export function keysetPage<R, T>(
  rows: R[],
  limit: number,
  position: (row: R) => KeysetCursor,
  toItem: (row: R) => T,
): KeysetPage<T> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null,
  };
}
