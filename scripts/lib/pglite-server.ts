/**
 * An embedded Postgres for machines without one: PGlite (Postgres compiled to WASM) served over the
 * Postgres wire protocol, so the Worker talks to it exactly as it talks to a real server.
 *
 * PGlite is a single session. pglite-socket's multiplexer forwards each protocol message of every
 * connection to it one at a time, so two connections' extended-protocol batches interleave (A's Parse,
 * B's Parse, A's Bind -> 08P01) and one connection's transaction swallows another's statements. This
 * server instead gives a connection the session for a whole batch (up to its Sync or simple Query) and
 * keeps it while that connection is inside a transaction; on disconnect it rolls back what was left open.
 */
import { createServer, type Server, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Messages after which the backend answers ReadyForQuery: the end of a batch. */
const BATCH_END = new Set(["S", "Q", "X"]);

/** A FIFO lock over the single PGlite session. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/** Starts PGlite on `host:port`; `dataDir` keeps data between runs, none means in memory. */
export async function startEmbeddedPostgres(opts: {
  port: number;
  host?: string;
  dataDir?: string;
}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    // Replies are small and prompt: without this each one waits for a delayed ACK (~40 ms per query).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveConnection(db, lock, socket);
  });
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  return {
    // PGlite ignores credentials; the password is there because Hyperdrive's local binding requires one.
    url: `postgres://postgres:postgres@${host}:${opts.port}/postgres?sslmode=disable`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

function serveConnection(db: PGlite, lock: SessionLock, socket: Socket): void {
  let buffer = Buffer.alloc(0);
  let started = false;
  let batch: Buffer[] = [];
  let release: (() => void) | undefined;
  let inTransaction = false;
  let work: Promise<void> = Promise.resolve();

  const run = (messages: Buffer[]) => {
    work = work.then(async () => {
      release ??= await lock.acquire();
      for (const message of messages) {
        await db.execProtocolRawStream(new Uint8Array(message), {
          onRawData: (data) => {
            const status = readyStatus(data);
            if (status) inTransaction = status !== "I";
            if (!socket.destroyed) socket.write(Buffer.from(data));
          },
        });
      }
      if (!inTransaction) {
        release();
        release = undefined;
      }
    });
    work.catch(() => socket.destroy());
  };

  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST) socket.write("N");
        else if (code === CANCEL_REQUEST) socket.end();
        else if (code === PROTOCOL_3) {
          started = true;
          run([Buffer.from(message)]);
        } else socket.destroy();
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return;
      const message = Buffer.from(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === "X") return void socket.end();
      batch.push(message);
      if (BATCH_END.has(type)) {
        run(batch);
        batch = [];
      }
    }
  });

  socket.on("close", () => {
    work = work.then(async () => {
      if (!release) return;
      if (inTransaction) await db.exec("ROLLBACK").catch(() => {});
      release();
      release = undefined;
    });
  });
  socket.on("error", () => socket.destroy());
}

/** The transaction status of the last ReadyForQuery ('Z') in a backend chunk, if it holds one. */
function readyStatus(data: Uint8Array): string | undefined {
  let status: string | undefined;
  for (let i = 0; i + 5 < data.length + 1; ) {
    const type = data[i];
    const length =
      ((data[i + 1] ?? 0) << 24) |
      ((data[i + 2] ?? 0) << 16) |
      ((data[i + 3] ?? 0) << 8) |
      (data[i + 4] ?? 0);
    if (type === 0x5a && length === 5) status = String.fromCharCode(data[i + 5] ?? 0);
    if (length < 4) break;
    i += 1 + length;
  }
  return status;
}
