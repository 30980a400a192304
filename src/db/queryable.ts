/** The query-layer types every database module shares (kept apart so none of them imports another's). */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type * as schema from "./schema.ts";

/**
 * One query-layer type for both drivers: their results share pg's shape (`{ rows, rowCount }`), so the
 * Neon instance is typed as the node-postgres one.
 */
export type Database = NodePgDatabase<typeof schema>;

/** A database or an open transaction on it: what a query helper that may run inside one accepts. */
export type Queryable = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The part of a `pg`-compatible client that drizzle uses. */
export interface QueryClient {
  query(config: unknown, values?: unknown): Promise<unknown>;
}
