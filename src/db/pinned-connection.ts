/**
 * One connection of a pool, held for a whole tenant scope. A pool's `query()` takes whichever connection
 * is free and opens a new one when the last was closed (idle for 10 s, or dropped by the server): inside a
 * scoped transaction that new connection has no BEGIN, no `cip_app` role and no tenant, so the next
 * statement would run outside the scope with the connecting role's rights. A pinned connection never
 * changes: once it is gone, every later query fails (`ScopeLostError`) and the request with it.
 */
import { ScopeLostError } from "./errors.ts";
import type { QueryClient } from "./queryable.ts";

/** The part of a pooled client this module uses (pg's and Neon's `PoolClient`). */
interface PooledClient extends QueryClient {
  on(event: "error" | "end", listener: (err?: unknown) => void): unknown;
  release(destroy?: boolean | Error): void;
}

/** The part of a pool this module uses. */
export interface ConnectingPool {
  connect(): Promise<PooledClient>;
}

/** A `QueryClient` over one pooled connection, taken on the first query and kept until `release()`. */
export class PinnedConnection implements QueryClient {
  private client: Promise<PooledClient> | undefined;
  private lost: ScopeLostError | undefined;
  private readonly pool: ConnectingPool;

  constructor(pool: ConnectingPool) {
    this.pool = pool;
  }

  async query(config: unknown, values?: unknown): Promise<unknown> {
    if (this.lost) throw this.lost;
    this.client ??= this.connect();
    const client = await this.client;
    if (this.lost) throw this.lost;
    try {
      return await client.query(config, values);
    } catch (err) {
      // The failing statement reports the drop itself; the flag keeps every later one from running.
      if (this.lost) throw this.lost;
      throw err;
    }
  }

  /** Whether the connection ended (dropped, terminated) while pinned. */
  get isLost(): boolean {
    return this.lost !== undefined;
  }

  /** Returns the connection to the pool (destroyed when it was lost); never rejects. */
  async release(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    try {
      client?.release(this.lost ?? false);
    } catch {
      // Released twice or already gone: nothing left to return.
    }
  }

  private async connect(): Promise<PooledClient> {
    let client: PooledClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      // Nothing ran on a connection that never opened: the next query may try again.
      this.client = undefined;
      throw err;
    }
    const onLost = (err?: unknown) => {
      this.lost ??= new ScopeLostError(err);
    };
    client.on("error", onLost);
    client.on("end", onLost);
    return client;
  }
}
