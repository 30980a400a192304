/**
 * A TCP proxy for Postgres that adds a fixed delay in each direction (to stand for a database 10 ms
 * away) and counts round trips: every simple Query ('Q') and every Sync ('S') the client sends is one
 * request the client then waits on. Loopback only.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface DelayProxy {
  url: string;
  /** Round trips seen since start (Query + Sync messages from clients). */
  roundTrips(): number;
  stop(): Promise<void>;
}

export async function startDelayProxy(opts: {
  port: number;
  target: URL;
  delayMs: number;
}): Promise<DelayProxy> {
  let roundTrips = 0;
  const sockets = new Set<Socket>();
  const delayed = (to: Socket) => (chunk: Buffer) => {
    if (opts.delayMs <= 0) to.write(chunk);
    else setTimeout(() => to.destroyed || to.write(chunk), opts.delayMs);
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: opts.target.hostname, port: Number(opts.target.port || 5432) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const countMessages = frontendCounter(() => {
      roundTrips += 1;
    });
    const toUpstream = delayed(upstream);
    client.on("data", (chunk: Buffer) => {
      countMessages(chunk);
      toUpstream(chunk);
    });
    upstream.on("data", delayed(client));
    client.on("close", () => upstream.end());
    upstream.on("close", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(opts.port, "127.0.0.1", resolve));
  const url = new URL(opts.target);
  url.hostname = "127.0.0.1";
  url.port = String(opts.port);
  return {
    url: url.toString(),
    roundTrips: () => roundTrips,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Parses the client's side of the protocol incrementally and calls `onRoundTrip` per Query or Sync. */
function frontendCounter(onRoundTrip: () => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        // SSLRequest (80877103) is followed by another startup packet; the real one starts the session.
        if (buffer.readInt32BE(4) !== 80877103) started = true;
        buffer = buffer.subarray(length);
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return;
      const type = String.fromCharCode(buffer[0] ?? 0);
      if (type === "Q" || type === "S") onRoundTrip();
      buffer = buffer.subarray(length);
    }
  };
}
