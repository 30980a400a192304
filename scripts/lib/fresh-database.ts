/** Creates a throwaway database next to the one a URL names, for one test run, and drops it after. */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database name no other run will pick. */
export function uniqueDatabaseName(prefix = "cip_test"): string {
  return `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
}

/** The URL of database `name` on the server `baseUrl` points at, with the password Hyperdrive wants. */
export function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // Hyperdrive's local binding insists on a password; trust auth ignores it.
  if (!url.password) url.password = "postgres";
  return url.toString();
}

export async function createFreshDatabase(
  baseUrl: string,
  name = uniqueDatabaseName(),
): Promise<FreshDatabase> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrlFor(baseUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
