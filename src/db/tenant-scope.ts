/**
 * Row-level security plumbing (docs/security.md). Every connection the app opens runs its queries inside
 * a transaction that first switches to the non-owner role `cip_app` and names the current tenant, both
 * with `set_config(..., true)` so they end with the transaction (Hyperdrive pools connections: a
 * session-level setting would leak to the next request). Postgres policies then hide other tenants' rows
 * even from a query that forgot its `tenant_id` filter.
 *
 * The scope wraps the driver client, so services keep using drizzle as before: the transaction opens
 * with the first query (one round trip for BEGIN + both settings), services' own `db.transaction()`
 * calls become savepoints inside it, and `finish()` commits. When the connection under an open
 * transaction fails, the scope is over: every later query and the commit fail (`ScopeLostError`), so no
 * statement can run on another connection outside the scope.
 */
import { sql } from "drizzle-orm";
import type { Queryable, QueryClient } from "./queryable.ts";

export type { QueryClient };

import { UUID_RE } from "../lib/uuid.ts";
import { isDatabaseUnavailable, ScopeLostError } from "./errors.ts";

/** The database role every app transaction runs as (created by migration 0003). */
export const APP_ROLE = "cip_app";

/** Which tenant the next query belongs to; null for tenant-less work (directory lookups, sign-up). */
export type TenantSource = () => string | null | undefined;

/** A uuid, or "" for none; anything else never reaches SQL text. */
export function tenantSetting(tenantId: string | null | undefined): string {
  if (!tenantId) return "";
  if (!UUID_RE.test(tenantId)) throw new Error("tenant scope needs a uuid");
  return tenantId.toLowerCase();
}

/**
 * Switches the current transaction to `tenantId`, for work that learns its tenant on the way (sign-up
 * after creating it, a confirmation link that names the tenant by slug).
 */
export async function enterTenant(db: Queryable, tenantId: string): Promise<void> {
  await db.execute(sql`select set_config('app.tenant_id', ${tenantSetting(tenantId)}, true)`);
}

/** Wraps a driver client so that its queries run as `cip_app` inside one tenant-scoped transaction. */
export class TenantScopedClient implements QueryClient {
  private open = false;
  private tenant = "";
  private depth = 0;
  /** Whether the open transaction ran anything but a SELECT. */
  private wrote = false;
  /** The last COMMIT sent without waiting (a read-only transaction's). */
  private settling: Promise<unknown> = Promise.resolve();
  /** Set when the connection failed under an open transaction: nothing may run after that. */
  private lost: ScopeLostError | undefined;
  private readonly inner: QueryClient;
  private readonly source: TenantSource;

  constructor(inner: QueryClient, source: TenantSource) {
    this.inner = inner;
    this.source = source;
  }

  async query(config: unknown, values?: unknown): Promise<unknown> {
    if (this.lost) throw this.lost;
    const keyword = statementKeyword(config);
    if (keyword === "begin") {
      await this.ensureScope();
      this.depth += 1;
      return this.send(`savepoint cip_sp${this.depth}`);
    }
    if ((keyword === "commit" || keyword === "rollback") && this.depth > 0) {
      const name = `cip_sp${this.depth}`;
      this.depth -= 1;
      return this.send(keyword === "commit" ? `release savepoint ${name}` : `rollback to savepoint ${name}`);
    }
    await this.ensureScope();
    if (keyword !== "select") this.wrote = true;
    return this.send(config, values);
  }

  /**
   * Commits the open transaction, if any; the next query opens a new one. After a write it waits for
   * the commit and rejects when it fails (the caller must not report the writes as done); a read-only
   * transaction's COMMIT is sent without waiting (nothing to make durable: saves a round trip), and
   * `settled()` waits for it before the connection closes.
   */
  async finish(): Promise<void> {
    if (!this.open) return;
    const wrote = this.wrote;
    this.open = false;
    this.depth = 0;
    this.wrote = false;
    // The transaction died with its connection: its writes are gone, which the caller must hear.
    if (this.lost) {
      if (wrote) throw this.lost;
      return;
    }
    // On a transaction a failed statement aborted, COMMIT answers ROLLBACK: nothing half-done lands.
    const commit = this.inner.query("commit");
    if (wrote) {
      await commit;
      return;
    }
    this.settling = commit.catch(() => {});
  }

  /** Resolves once a COMMIT sent without waiting has been answered. */
  settled(): Promise<unknown> {
    return this.settling;
  }

  /**
   * Runs one parameterless statement in its own scoped transaction, in ONE round trip (BEGIN, the
   * scope, the statement and COMMIT as one simple-protocol query); it resolves only once the COMMIT has.
   * For hot paths such as the dialog sync and a cold tenant's prompt load; the statement's literals must
   * be validated (uuids via `tenantSetting`) or escaped (inline-sql.ts).
   */
  async once<T>(statement: string): Promise<T[]> {
    if (this.lost) throw this.lost;
    if (this.open) throw new Error("a scoped transaction is already open on this connection");
    const tenant = tenantSetting(this.source());
    const results = (await this.inner.query(
      `begin; select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenant}', true); ${statement}; commit`,
    )) as Array<{ rows: T[] }>;
    return results[2]?.rows ?? [];
  }

  private async ensureScope(): Promise<void> {
    const tenant = tenantSetting(this.source());
    if (!this.open) {
      this.open = true;
      this.tenant = tenant;
      try {
        // One simple-protocol round trip; both values are constants or a validated uuid.
        await this.inner.query(
          `begin; select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenant}', true)`,
        );
      } catch (err) {
        this.open = false;
        throw err;
      }
    } else if (tenant !== this.tenant && tenant !== "") {
      this.tenant = tenant;
      await this.send(`select set_config('app.tenant_id', '${tenant}', true)`);
    }
  }

  /** A statement inside the open transaction; a lost connection ends the scope for good. */
  private async send(config: unknown, values?: unknown): Promise<unknown> {
    try {
      return await this.inner.query(config, values);
    } catch (err) {
      if (this.open && isDatabaseUnavailable(err)) this.lost ??= new ScopeLostError(err);
      throw err;
    }
  }
}

function statementKeyword(config: unknown): string {
  const text = typeof config === "string" ? config : ((config as { text?: unknown } | null)?.text ?? "");
  return typeof text === "string" ? (text.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? "") : "";
}
