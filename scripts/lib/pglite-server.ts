/**
 * An embedded Postgres for machines without one: PGlite (Postgres compiled to WASM) served over the
 * Postgres wire protocol, so the Worker talks to it exactly as it talks to a real server.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Starts PGlite on `host:port`; `dataDir` keeps data between runs, none means in memory. */
export async function startEmbeddedPostgres(opts: {
  port: number;
  host?: string;
  dataDir?: string;
}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host, port: opts.port, maxConnections: 50 });
  await server.start();
  return {
    // PGlite ignores credentials; the password is there because Hyperdrive's local binding requires one.
    url: `postgres://postgres:postgres@${host}:${opts.port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
