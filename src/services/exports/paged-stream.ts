/**
 * Streams an export without holding it in memory (docs/cabinet.md "Exports"). The request's own database
 * transaction commits as the response leaves and its connection closes right after (src/middleware/
 * database), while a response body is read long after the handler returned. So an export reads on a
 * connection of its own, scoped to the tenant like every app connection (row-level security), one keyset
 * page per pull: each page is one short read-only transaction (nothing stays open while a slow client
 * reads), the next page is read only when the client has taken the last one, and the connection closes
 * when the stream ends, fails or is cancelled.
 */
import { type Database, type DbEnv, openDatabase } from "../../db/client.ts";
import { log } from "../../lib/log.ts";

/** A stateful producer of an export's text: each call reads one page. */
export interface ExportSource {
  /** The next piece of the file (possibly empty), or null once everything was sent. */
  next(db: Database): Promise<string | null>;
}

/**
 * Reads the first page before answering (so a database failure is still a JSON error, not a cut
 * download), then streams the rest page by page.
 */
export async function pagedExport(
  env: DbEnv,
  tenantId: string,
  source: ExportSource,
): Promise<ReadableStream<Uint8Array>> {
  const handle = openDatabase(env, () => tenantId);
  const encoder = new TextEncoder();
  const read = async (): Promise<string | null> => {
    const piece = await source.next(handle.db);
    await handle.finish();
    return piece;
  };
  let first: string | null;
  try {
    first = await read();
  } catch (err) {
    await handle.close();
    throw err;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (first) controller.enqueue(encoder.encode(first));
      if (first === null) {
        controller.close();
        return handle.close();
      }
    },
    async pull(controller) {
      try {
        // An empty piece (a page with nothing to write) must not end the pull without data: read on.
        for (;;) {
          const piece = await read();
          if (piece === null) {
            controller.close();
            await handle.close();
            return;
          }
          if (piece !== "") {
            controller.enqueue(encoder.encode(piece));
            return;
          }
        }
      } catch (err) {
        // Headers are gone: the client sees the download cut short, never a partial file that looks whole.
        log("error", "export stream failed", { error: err instanceof Error ? err.message : String(err) });
        controller.error(err);
        await handle.close();
      }
    },
    cancel() {
      return handle.close();
    },
  });
}
