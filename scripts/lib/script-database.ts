/**
 * The database a measurement script (`npm run load`, `npm run faults`) runs `npm run dev` against: a fresh
 * database on a Postgres server, or the embedded PGlite of `npm run dev` in a process of its own, so the
 * script's event loop is not the database's and the developer's `.dev-data` is untouched. Everything it
 * makes is registered for the script's cleanup (the database dropped, the process stopped, the data removed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Cleanup } from "./cleanups.ts";
import { freePort } from "./free-port.ts";
import { createFreshDatabase, uniqueDatabaseName } from "./fresh-database.ts";
import { type PgliteProcess, spawnPglite } from "./pglite-process.ts";

/** The machine's Postgres, where the scripts look first when told to choose by themselves. */
export const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScriptDatabaseOptions {
  /**
   * `postgres`: a fresh database on `server` (fails when it does not answer); `pglite`: the embedded
   * server; `auto`: `postgres` when `server` answers within 3 s, else `pglite`.
   */
  mode: "postgres" | "pglite" | "auto";
  /** A Postgres server URL (any database on it; the fresh one is created next to it). */
  server?: string;
  /** Name prefix of the fresh database, so a leftover says which script made it. */
  prefix: string;
  /** PGlite keeps its data in a temporary directory (so its process can be restarted on it), not in memory. */
  onDisk?: boolean;
  /** Where the stops go; the script runs them on exit (see cleanupOnExit). */
  cleanups: Cleanup[];
}

export interface ScriptDatabase {
  kind: "postgres" | "pglite";
  /** DATABASE_URL for the app, and for the script's own reads. */
  url: string;
  /** `host:port` of the Postgres server (kind `postgres` only). */
  serverHost?: string;
  /** Which database this is, for reports. */
  label: string;
  /** PGlite only: stops its process (with `onDisk`, the data stays for `start`). */
  stop?: () => Promise<void>;
  /** PGlite only: starts the process again on the same port and data. */
  start?: () => Promise<void>;
}

/** True when the Postgres at `url` answers a query within 3 s. */
export async function pgAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts the database `opts` asks for and registers its cleanup. */
export async function startScriptDatabase(opts: ScriptDatabaseOptions): Promise<ScriptDatabase> {
  const server = opts.server;
  const usePostgres =
    opts.mode === "postgres" || (opts.mode === "auto" && server !== undefined && (await pgAnswers(server)));
  if (!usePostgres) return startPglite(opts);
  if (!server) throw new Error("a Postgres database needs a server URL");
  const db = await createFreshDatabase(server, uniqueDatabaseName(opts.prefix));
  opts.cleanups.push(db.drop);
  const serverHost = new URL(server).host;
  return {
    kind: "postgres",
    url: db.url,
    serverHost,
    label: `Postgres server at ${serverHost}, fresh database`,
  };
}

async function startPglite(opts: ScriptDatabaseOptions): Promise<ScriptDatabase> {
  let dataDir: string | undefined;
  if (opts.onDisk) {
    const dir = mkdtempSync(join(tmpdir(), `${opts.prefix.replace(/_/g, "-")}-pglite-`));
    opts.cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    dataDir = dir;
  }
  const port = await freePort();
  const spawnOpts = { port, ...(dataDir ? { dataDir } : {}) };
  let server: PgliteProcess | undefined = await spawnPglite(spawnOpts);
  opts.cleanups.push(() => server?.stop());
  return {
    kind: "pglite",
    url: server.url,
    label: `embedded PGlite (${dataDir ? "data on disk" : "in memory"}, own process)`,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    start: async () => {
      server ??= await spawnPglite(spawnOpts);
    },
  };
}
