/** Telling "the database is unreachable" apart from a bug, whichever driver raised it. */

/** Postgres SQLSTATE classes and codes that mean the server is not available, not that a query is wrong. */
const UNAVAILABLE_STATES = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_MESSAGES =
  /timeout expired|query read timeout|connection terminated|connection (?:was )?(?:closed|lost|refused)|socket (?:has been )?closed|ECONNREFUSED|ECONNRESET|network connection lost/i;

/** True when `err` (or an error it wraps, as drizzle does) says the database could not be reached. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_STATES.test(code) || /^E(CONN|PIPE|TIMEDOUT)/.test(code)))
      return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}

/**
 * The connection under a request's tenant-scoped transaction went away (dropped, terminated, closed for
 * idleness). SQLSTATE 08003 (connection_does_not_exist), so the error handler answers 503 `db_unavailable`.
 */
export class ScopeLostError extends Error {
  override readonly name = "ScopeLostError";
  readonly code = "08003";
  constructor(cause?: unknown) {
    super(
      "The database connection of this request's tenant scope was lost; nothing after it ran (the request fails rather than run outside its scope).",
      cause === undefined ? undefined : { cause },
    );
  }
}
