/**
 * Gives a request its drizzle instance over one of two driver paths (DESIGN.md "Stack"):
 * - Hyperdrive binding -> `pg` over TCP (Hyperdrive pools, so one Client per request is right);
 * - `DATABASE_URL` alone -> `@neondatabase/serverless` Pool over WebSocket (Neon direct, or a local
 *   WebSocket-to-TCP proxy named by `NEON_WS_PROXY`).
 * Workers have no long-lived pools: open per request, close after the response.
 */
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { AppError } from "../errors.ts";
import * as schema from "./schema.ts";

/**
 * One query-layer type for both drivers: their results share pg's shape (`{ rows, rowCount }`), so the
 * Neon instance is typed as the node-postgres one.
 */
export type Database = NodePgDatabase<typeof schema>;

/** A database or an open transaction on it: what a query helper that may run inside one accepts. */
export type Queryable = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DbHandle {
  db: Database;
  driver: "hyperdrive" | "neon";
  /** Ends the connection; never rejects. */
  close(): Promise<void>;
}

export interface DbEnv {
  HYPERDRIVE?: Hyperdrive;
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
}

/** Opens the request's database handle; the connection itself starts with the first query. */
export function openDatabase(env: DbEnv): DbHandle {
  if (env.HYPERDRIVE) return openHyperdrive(env.HYPERDRIVE.connectionString);
  if (env.DATABASE_URL) return openNeon(env.DATABASE_URL, env.NEON_WS_PROXY);
  throw new AppError("misconfigured", "No database is configured (HYPERDRIVE binding or DATABASE_URL).");
}

function openHyperdrive(connectionString: string): DbHandle {
  const client = new pg.Client({ connectionString });
  // pg-cloudflare emits "This socket has been closed" after end(); a dropped connection also lands here.
  // Either way the failing query rejects on its own, so the event must not become an unhandled error.
  client.on("error", () => {});
  const connected = client.connect().catch(() => {
    // The queued queries reject with the connection error; nothing else waits on this promise.
  });
  return {
    db: drizzlePg({ client, schema }),
    driver: "hyperdrive",
    close: () => connected.then(() => client.end()).catch(() => {}),
  };
}

function openNeon(connectionString: string, wsProxy: string | undefined): DbHandle {
  if (wsProxy) {
    // A plain Postgres behind a local proxy: no TLS inside the socket, and no pipelined password
    // (that shortcut only works against Neon's own proxy).
    neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new NeonPool({ connectionString, max: 1 });
  pool.on("error", () => {});
  return {
    db: drizzleNeon({ client: pool, schema }) as unknown as Database,
    driver: "neon",
    close: () => pool.end().catch(() => {}),
  };
}
