/** A direct database handle for tests, through the same module the app uses. */
import { env } from "cloudflare:workers";
import { type DbHandle, openUnscopedDatabase } from "../../src/db/client.ts";

/** Runs `fn` with a database handle and closes it afterwards. */
export async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
