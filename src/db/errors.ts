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
