/** Teardown for long-running scripts: run every registered stop once, on exit or on SIGINT/SIGTERM. */

export type Cleanup = () => Promise<unknown> | unknown;

/**
 * Runs `cleanups` newest first, once (later calls wait for nothing), ignoring failures; SIGINT and
 * SIGTERM run it and exit with 130 and 143.
 */
export function cleanupOnExit(cleanups: Cleanup[]): () => Promise<void> {
  let stopping = false;
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  };
  process.on("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  process.on("SIGTERM", () => void cleanup().finally(() => process.exit(143)));
  return cleanup;
}
