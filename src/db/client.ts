/**
 * Gives a request its drizzle instance over one of two driver paths (DESIGN.md "Stack"):
 * - Hyperdrive binding -> `pg` over TCP (Hyperdrive pools, so one Client per request is right);
 * - `DATABASE_URL` alone -> `@neondatabase/serverless` Pool over WebSocket (Neon direct, or a local
 *   WebSocket-to-TCP proxy named by `NEON_WS_PROXY`).
 * Workers have no long-lived pools: open per request, close after the response.
 */
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import { AppError } from "../errors.ts";
import { inlineStatement } from "./inline-sql.ts";
import { type ConnectingPool, PinnedConnection } from "./pinned-connection.ts";
import type { Database, Queryable } from "./queryable.ts";
import * as schema from "./schema.ts";
import { TenantScopedClient, type TenantSource } from "./tenant-scope.ts";

export type { Database, Queryable };

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
  /**
   * One statement in its own scoped transaction, committed, in one round trip (see tenant-scope.ts); a
   * drizzle statement has its values written in as literals (inline-sql.ts).
   */
  once<T>(statement: string | SQL): Promise<T[]>;
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

/**
 * The connection string as `pg` would parse it, parsed once per string: `pg` parses it again for every
 * client (measured: about 3% of a chat turn's CPU, which opens one connection for its syncs).
 */
const parsedConnections = new Map<string, pg.ClientConfig>();

function clientConfig(connectionString: string): pg.ClientConfig {
  let config = parsedConnections.get(connectionString);
  if (!config) {
    // pg merges exactly this object into its settings when given `connectionString`.
    config = parseConnectionString(connectionString) as pg.ClientConfig;
    parsedConnections.set(connectionString, config);
  }
  return config;
}

function openHyperdrive(connectionString: string, tenant: TenantSource | undefined): DbHandle {
  const client = new pg.Client({ ...clientConfig(connectionString), ...TIMEOUTS });
  // pg-cloudflare emits "This socket has been closed" after end(); a dropped connection also lands here.
  // Either way the failing query rejects on its own, so the event must not become an unhandled error.
  client.on("error", () => {});
  const connected = client.connect().catch(() => {
    // The queued queries reject with the connection error; nothing else waits on this promise.
  });
  const scoped = tenant ? new TenantScopedClient(client, tenant) : undefined;
  return handle(
    () => drizzlePg({ client: (scoped ?? client) as pg.Client, schema }),
    "hyperdrive",
    scoped,
    () => connected.then(() => client.end()),
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
  // One connection, never closed for idleness (the pool's default closes it after 10 s, which would end
  // an open scoped transaction between two statements of a slow request).
  const pool = new NeonPool({ connectionString, max: 1, idleTimeoutMillis: 0, ...TIMEOUTS });
  pool.on("error", () => {});
  if (!tenant) {
    return handle(
      () => drizzleNeon({ client: pool, schema }) as unknown as Database,
      "neon",
      undefined,
      () => pool.end(),
    );
  }
  // The scope's statements must share one session: pinned, so a lost connection fails the request
  // instead of the pool opening a fresh one outside the scope (pinned-connection.ts).
  const pinned = new PinnedConnection(pool as unknown as ConnectingPool);
  const scoped = new TenantScopedClient(pinned, tenant);
  return handle(
    () => drizzleNeon({ client: scoped as unknown as NeonPool, schema }) as unknown as Database,
    "neon",
    scoped,
    () => pinned.release().then(() => pool.end()),
  );
}

/**
 * The handle around one connection. Its drizzle instance is built on first use: building it walks the
 * whole schema (measured: about 4% of a chat turn's CPU, for the dialog sync, which needs only `once`).
 */
function handle(
  drizzle: () => Database,
  driver: DbHandle["driver"],
  scoped: TenantScopedClient | undefined,
  end: () => Promise<unknown>,
): DbHandle {
  const finish = async () => {
    await scoped?.finish();
  };
  let db: Database | undefined;
  return {
    get db() {
      db ??= drizzle();
      return db;
    },
    driver,
    finish,
    once: (statement) => {
      if (!scoped) throw new Error("once() needs a tenant-scoped handle");
      return scoped.once(typeof statement === "string" ? statement : inlineStatement(statement));
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
