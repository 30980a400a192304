/** Postgres's view of a day run: its counters, its connection limit, the connections open at once. */
import pg from "pg";
import { countConnection, withClient } from "./day-verify.ts";

/** Postgres's own counters for the run's database (sessions opened, commits, rows written). */
export interface PgCounters {
  sessions: number;
  commits: number;
  inserted: number;
  updated: number;
}

/** The counters of the current database from pg_stat_database (undefined where the server has none). */
export async function pgCounters(url: string): Promise<PgCounters | undefined> {
  try {
    return await withClient(url, async (c) => {
      const { rows } = await c.query<Record<string, string>>(
        "select sessions, xact_commit, tup_inserted, tup_updated from pg_stat_database where datname = current_database()",
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        sessions: Number(r.sessions),
        commits: Number(r.xact_commit),
        inserted: Number(r.tup_inserted),
        updated: Number(r.tup_updated),
      };
    });
  } catch {
    return undefined;
  }
}

/** The server's max_connections (undefined when it cannot be read). */
export async function maxConnections(url: string): Promise<number | undefined> {
  try {
    return await withClient(url, async (c) =>
      Number((await c.query<{ n: string }>("show max_connections")).rows[0]?.n),
    );
  } catch {
    return undefined;
  }
}

/**
 * Samples the run database's open connections every `everyMs` on one connection of its own (wrangler's
 * local Hyperdrive does not pool: every handle the app opens is a server backend). Stop returns the peak.
 */
export function connectionSampler(url: string, everyMs: number): () => Promise<number> {
  const client = new pg.Client({ connectionString: url });
  countConnection();
  let peak = 0;
  let stopped = false;
  const ready = client.connect().then(
    () => true,
    () => false,
  );
  const loop = (async () => {
    if (!(await ready)) return;
    while (!stopped) {
      const { rows } = await client
        .query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database()")
        .catch(() => ({ rows: [] as Array<{ n: string }> }));
      peak = Math.max(peak, Number(rows[0]?.n ?? 0) - 1);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await client.end().catch(() => {});
    return peak;
  };
}
