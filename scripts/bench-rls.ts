/**
 * `npm run bench:rls`: what row-level security costs per request. The app's scope (tenant-scope.ts)
 * wraps each request's queries in a transaction that switches to `cip_app` and names the tenant; this
 * measures a typical cabinet read with and without that wrapper, and the cold prompt load done in one
 * round trip, on loopback and with Postgres 10 ms away each way. Prints a markdown table (docs/security.md).
 */
import pg from "pg";
import { TenantScopedClient } from "../src/db/tenant-scope.ts";
import { freePort } from "./lib/free-port.ts";
import { createFreshDatabase } from "./lib/fresh-database.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { startEmbeddedPostgres } from "./lib/pglite-server.ts";
import { startDelayProxy } from "./lib/tcp-delay-proxy.ts";

const DEMO = "00000000-0000-4000-8000-000000000001";
const N = Number(process.env.BENCH_RLS_REQUESTS ?? 200);
const READ = "select id, position, question, text from prompt_chunks where tenant_id = $1 order by position";
const WRITE = "update tenants set updated_at = now() where id = $1";
const cleanups: Array<() => unknown> = [];

async function database(): Promise<string> {
  try {
    const db = await createFreshDatabase(
      "postgres://postgres@127.0.0.1:5432/postgres",
      `cip_bench_rls_${Date.now()}`,
    );
    cleanups.push(db.drop);
    return db.url;
  } catch {
    const embedded = await startEmbeddedPostgres({ port: await freePort() });
    cleanups.push(embedded.stop);
    console.error("bench:rls: no Postgres on 127.0.0.1:5432, using embedded PGlite");
    return embedded.url;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Row {
  mode: string;
  p50: number;
  p99: number;
  roundTrips: number;
}

/** Runs `request` N times on one connection (as Hyperdrive hands one out) and times each. */
async function measure(
  url: string,
  counter: () => number,
  mode: string,
  /** Resolves when the response could leave; may return work to finish before the next request. */
  request: (client: pg.Client) => Promise<unknown>,
): Promise<Row> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < 10; i++) {
      const after = await request(client);
      if (after instanceof Function) await after();
    }
    const times: number[] = [];
    const before = counter();
    for (let i = 0; i < N; i++) {
      const started = performance.now();
      const after = await request(client);
      times.push(performance.now() - started);
      // What runs after the response (a read-only COMMIT) is not the client's wait.
      if (after instanceof Function) await after();
    }
    return {
      mode,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      roundTrips: (counter() - before) / N,
    };
  } finally {
    await client.end();
  }
}

async function series(target: string, delayMs: number): Promise<Row[]> {
  const proxy = await startDelayProxy({ port: await freePort(), target: new URL(target), delayMs });
  try {
    const url = proxy.url;
    const scoped = (client: pg.Client) => new TenantScopedClient(client, () => DEMO);
    return [
      await measure(url, proxy.roundTrips, "cabinet read, no RLS (owner, autocommit)", (c) =>
        c.query(READ, [DEMO]),
      ),
      await measure(url, proxy.roundTrips, "cabinet read, RLS scope (cip_app + tenant)", async (c) => {
        const s = scoped(c);
        await s.query(READ, [DEMO]);
        await s.finish();
        return () => s.settled();
      }),
      await measure(url, proxy.roundTrips, "cabinet write, no RLS (owner, autocommit)", (c) =>
        c.query(WRITE, [DEMO]),
      ),
      await measure(url, proxy.roundTrips, "cabinet write, RLS scope (cip_app + tenant)", async (c) => {
        const s = scoped(c);
        await s.query(WRITE, [DEMO]);
        await s.finish();
      }),
      await measure(url, proxy.roundTrips, "cold prompt load, RLS scope in one round trip", (c) =>
        scoped(c).once(`select id, question from prompt_chunks where tenant_id = '${DEMO}'`),
      ),
    ];
  } finally {
    await proxy.stop();
  }
}

try {
  const url = await database();
  await migrateDatabase(url);
  const lines = [`| Postgres | request | p50 ms | p99 ms | round trips |`, `|---|---|---|---|---|`];
  for (const [label, delay] of [
    ["loopback", 0],
    ["10 ms each way", 10],
  ] as const) {
    for (const row of await series(url, delay)) {
      lines.push(
        `| ${label} | ${row.mode} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${row.roundTrips.toFixed(1)} |`,
      );
    }
  }
  console.log(`\n${N} requests per row, one connection, measured ${new Date().toISOString()}\n`);
  console.log(lines.join("\n"));
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
