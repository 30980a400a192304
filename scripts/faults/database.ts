/**
 * The database of `npm run faults` and how its restart is made (FAULTS_DB, FAULTS_PG_URL). On a Postgres
 * server, shared with other work and never restarted, the app goes through a TCP proxy that is taken down
 * and brought back; PGlite runs in its own process with data on disk and is really stopped and started.
 */
import type { Cleanup } from "../lib/cleanups.ts";
import { freePort } from "../lib/free-port.ts";
import { LOCAL_POSTGRES, startScriptDatabase } from "../lib/script-database.ts";
import { startSwitchableProxy } from "../lib/switchable-proxy.ts";

export interface FaultDb {
  mode: "postgres" | "pglite";
  /** DATABASE_URL for the app. */
  appUrl: string;
  /** For this script's own checks (never through the proxy). */
  directUrl: string;
  label: string;
  down(): Promise<void>;
  up(): Promise<void>;
}

/** Starts the database FAULTS_DB names (default: Postgres when FAULTS_PG_URL or 127.0.0.1:5432 answers). */
export async function startFaultDb(cleanups: Cleanup[]): Promise<FaultDb> {
  const mode = process.env.FAULTS_DB ?? "auto";
  if (mode !== "postgres" && mode !== "pglite" && mode !== "auto")
    throw new Error(`FAULTS_DB must be postgres or pglite, not ${mode}`);
  const db = await startScriptDatabase({
    mode,
    server: process.env.FAULTS_PG_URL ?? LOCAL_POSTGRES,
    prefix: "cip_faults",
    onDisk: true,
    cleanups,
  });
  if (db.kind === "pglite") {
    const { stop, start } = db;
    if (!stop || !start) throw new Error("the PGlite process cannot be restarted");
    return {
      mode: "pglite",
      appUrl: db.url,
      directUrl: db.url,
      label:
        "embedded PGlite server (own process, data on disk); restart = the server process stopped and started again on the same port and data",
      down: stop,
      up: start,
    };
  }
  const proxy = await startSwitchableProxy({ port: await freePort(), target: new URL(db.url) });
  cleanups.push(proxy.stop);
  return {
    mode: "postgres",
    appUrl: proxy.url,
    directUrl: db.url,
    label: `Postgres server at ${db.serverHost} (fresh database) behind a TCP proxy; restart = proxy down (all connections dropped, new ones refused), then up`,
    down: proxy.down,
    up: proxy.up,
  };
}
