import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

const DB_TIMEOUT_MS = 3000;

/** Proves the database answers a query within a few seconds; throws `db_unavailable` otherwise. */
export async function checkDatabase(db: Database): Promise<{ latencyMs: number }> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), DB_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.execute(sql`select 1`), timeout]);
  } catch {
    throw new AppError("db_unavailable", "The database is not reachable.");
  } finally {
    clearTimeout(timer);
  }
  return { latencyMs: Date.now() - started };
}
