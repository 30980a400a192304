/**
 * A tenant-scoped transaction whose connection goes away mid-request must fail the request, never run the
 * next statement on a fresh connection outside the scope (as the connecting role, without row-level
 * security). The Neon driver's pool used to do exactly that: it replaced the lost (or idle-closed)
 * connection on the next query.
 *
 * On a Postgres server the backend is terminated with pg_terminate_backend from another connection; the
 * embedded PGlite server has a single backend for everyone, so there the scope's WebSocket is closed
 * instead (the same loss, seen from the client).
 */
import { env } from "cloudflare:workers";
import { neonConfig } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase } from "../../src/db/client.ts";
import { isDatabaseUnavailable } from "../../src/db/errors.ts";
import { withDb } from "../helpers/db.ts";

const DEMO_ID = "00000000-0000-4000-8000-000000000001";

/** WebSockets the Neon driver opens while a test runs, so one can be dropped. */
const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
}

const neonEnv = () => ({ DATABASE_URL: env.TEST_DIRECT_DATABASE_URL, NEON_WS_PROXY: env.TEST_NEON_WS_PROXY });

/** Whether the tests run on embedded PGlite; asked before any scope opens (it has one session). */
let embedded = false;

/** Ends the session behind `pid` the way an outage would, and waits until it is gone. */
async function dropConnection(pid: number): Promise<void> {
  if (embedded) {
    expect(sockets.length).toBeGreaterThan(0);
    for (const ws of sockets.splice(0)) ws.close(1001, "test drops the connection");
  } else {
    await withDb(({ db }) => db.execute(sql`select pg_terminate_backend(${pid})`));
    for (let i = 0; i < 100; i++) {
      const alive = await withDb(({ db }) =>
        db.execute(sql`select 1 from pg_stat_activity where pid = ${pid}`),
      );
      if (alive.rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  // Let the driver read the FATAL message or the close.
  await new Promise((r) => setTimeout(r, 100));
}

describe("a tenant scope whose connection is lost", () => {
  let handle: DbHandle | undefined;

  beforeAll(async () => {
    const r = await withDb(({ db }) => db.execute<{ v: string }>(sql`select version() as v`));
    embedded = /PGlite/i.test(r.rows[0]?.v ?? "");
  });

  afterEach(async () => {
    neonConfig.webSocketConstructor = undefined;
    sockets.length = 0;
    await handle?.close();
    handle = undefined;
  });

  it("Neon driver: fails every later statement of the request instead of running it unscoped", async () => {
    neonConfig.webSocketConstructor = TrackedWebSocket;
    handle = openDatabase(neonEnv(), () => DEMO_ID);
    expect(handle.driver).toBe("neon");
    const first = await handle.db.execute<{ pid: number; role: string }>(
      sql`select pg_backend_pid() as pid, current_user as role`,
    );
    expect(first.rows[0]?.role).toBe("cip_app");
    await dropConnection(Number(first.rows[0]?.pid));

    for (let i = 0; i < 2; i++) {
      const later = handle.db.execute<{ role: string; tenant: string }>(
        sql`select current_user as role, current_setting('app.tenant_id', true) as tenant`,
      );
      const outcome = await later.then(
        (r) => ({ ran: r.rows[0] }),
        (err: unknown) => ({ err }),
      );
      // Before the fix the pool answered from a new connection: the owner role, no tenant.
      expect(outcome).not.toHaveProperty("ran");
      expect(isDatabaseUnavailable((outcome as { err: unknown }).err)).toBe(true);
    }
    // A read-only scope ends without more noise; the handle still closes cleanly.
    await expect(handle.finish()).resolves.toBeUndefined();
  });

  it("Neon driver: a scope with writes reports the lost commit", async () => {
    neonConfig.webSocketConstructor = TrackedWebSocket;
    handle = openDatabase(neonEnv(), () => DEMO_ID);
    const first = await handle.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    await handle.db.execute(sql`set local application_name = 'cip-scope-lost'`);
    await dropConnection(Number(first.rows[0]?.pid));
    await expect(handle.finish()).rejects.toSatisfy(isDatabaseUnavailable);
  });

  it("Neon driver: a pause longer than the pool's idle timeout (10 s) keeps the scope's session", async () => {
    handle = openDatabase(neonEnv(), () => DEMO_ID);
    const before = await handle.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    await handle.db.execute(sql`set local application_name = 'cip-scope-idle'`);
    await new Promise((r) => setTimeout(r, 10_500));
    const after = await handle.db.execute<{ pid: number; name: string; role: string }>(
      sql`select pg_backend_pid() as pid, current_setting('application_name') as name, current_user as role`,
    );
    expect(after.rows[0]).toEqual({ pid: before.rows[0]?.pid, name: "cip-scope-idle", role: "cip_app" });
    await handle.finish();
  }, 20_000);
});
