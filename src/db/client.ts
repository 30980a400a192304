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
import { TenantScopedClient, type TenantSource } from "./tenant-scope.ts";

/**
 * One query-layer type for both drivers: their results share pg's shape (`{ rows, rowCount }`), so the
 * Neon instance is typed as the node-postgres one.
 */
export type Database = NodePgDatabase<typeof schema>;

/** A database or an open transaction on it: what a query helper that may run inside one accepts. */
export type Queryable = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * A database that does not answer must fail the request (503) or the dialog sync (retried by its alarm),
 * not hang it: connecting gets 5 s, a statement 10 s (the largest, a document's passages, takes well
 * under a second).
 */
const TIMEOUTS = { connectionTimeoutMillis: 5_000, query_timeout: 10_000 } as const;

export interface DbHandle {
  db: Database;
  driver: "hyperdrive" | "neon";
  /** Commits the open transaction of a tenant-scoped handle (no-op otherwise); rejects if the commit fails. */
  finish(): Promise<void>;
  /** One parameterless statement in its own scoped transaction, in one round trip (see tenant-scope.ts). */
  once<T>(statement: string): Promise<T[]>;
  /** Commits what is open and ends the connection; never rejects. */
  close(): Promise<void>;
}

export interface DbEnv {
  HYPERDRIVE?: Hyperdrive;
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
}

/**
 * Opens the app's database handle: every query runs as the non-owner role `cip_app` inside a
 * transaction scoped to the tenant `tenant()` names (row-level security, see tenant-scope.ts). The
 * connection itself starts with the first query.
 */
export function openDatabase(env: DbEnv, tenant: TenantSource): DbHandle {
  return open(env, tenant);
}

/**
 * A handle with the connecting role's own rights and no tenant scope: migrations, tests that seed
 * data, scripts. App code uses `openDatabase`.
 */
export function openUnscopedDatabase(env: DbEnv): DbHandle {
  return open(env, undefined);
}

function open(env: DbEnv, tenant: TenantSource | undefined): DbHandle {
  if (env.HYPERDRIVE) return openHyperdrive(env.HYPERDRIVE.connectionString, tenant);
  if (env.DATABASE_URL) return openNeon(env.DATABASE_URL, env.NEON_WS_PROXY, tenant);
  throw new AppError("misconfigured", "No database is configured (HYPERDRIVE binding or DATABASE_URL).");
}

function openHyperdrive(connectionString: string, tenant: TenantSource | undefined): DbHandle {
  const client = new pg.Client({ connectionString, ...TIMEOUTS });
  // pg-cloudflare emits "This socket has been closed" after end(); a dropped connection also lands here.
  // Either way the failing query rejects on its own, so the event must not become an unhandled error.
  client.on("error", () => {});
  const connected = client.connect().catch(() => {
    // The queued queries reject with the connection error; nothing else waits on this promise.
  });
  const scoped = tenant ? new TenantScopedClient(client, tenant) : undefined;
  return handle(drizzlePg({ client: (scoped ?? client) as pg.Client, schema }), "hyperdrive", scoped, () =>
    connected.then(() => client.end()),
  );
}

function openNeon(
  connectionString: string,
  wsProxy: string | undefined,
  tenant: TenantSource | undefined,
): DbHandle {
  if (wsProxy) {
    // A plain Postgres behind a local proxy: no TLS inside the socket, and no pipelined password
    // (that shortcut only works against Neon's own proxy).
    neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  // One connection: the scoped transaction's statements must share a session.
  const pool = new NeonPool({ connectionString, max: 1, ...TIMEOUTS });
  pool.on("error", () => {});
  const scoped = tenant ? new TenantScopedClient(pool, tenant) : undefined;
  const db = drizzleNeon({ client: (scoped ?? pool) as NeonPool, schema }) as unknown as Database;
  return handle(db, "neon", scoped, () => pool.end());
}

function handle(
  db: Database,
  driver: DbHandle["driver"],
  scoped: TenantScopedClient | undefined,
  end: () => Promise<unknown>,
): DbHandle {
  const finish = async () => {
    await scoped?.finish();
  };
  return {
    db,
    driver,
    finish,
    once: (statement) => {
      if (!scoped) throw new Error("once() needs a tenant-scoped handle");
      return scoped.once(statement);
    },
    close: () =>
      finish()
        .catch(() => {})
        .then(() => scoped?.settled())
        .then(end)
        .then(
          () => {},
          () => {},
        ),
  };
}
