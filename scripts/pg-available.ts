/** Exits 0 when the Postgres at the given URL answers a query within 3 s, 1 otherwise (used by .ci/run). */
import pg from "pg";

const url = process.argv[2] ?? "postgres://postgres@127.0.0.1:5432/postgres";
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query("select 1");
  await client.end();
  process.exit(0);
} catch {
  process.exit(1);
}
