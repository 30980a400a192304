/**
 * A loopback TCP proxy that can be taken down and brought back on the same port: `down()` destroys every
 * open connection and stops listening (new connections are refused), `up()` listens again. To the app
 * behind it this is what a database server restart looks like.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface SwitchableProxy {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Connections dropped by `down()` so far. */
  dropped(): number;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Proxies 127.0.0.1:`port` to `target` (a postgres:// URL); `url` is `target` with the proxy's address. */
export async function startSwitchableProxy(opts: { port: number; target: URL }): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>();
  let dropped = 0;
  let server: Server | undefined;
  const pipe = (client: Socket) => {
    const upstream = createConnection({ host: opts.target.hostname, port: Number(opts.target.port || 5432) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const up = async () => {
    if (server) return;
    server = createServer(pipe);
    await listen(server, opts.port);
  };
  const down = async () => {
    const s = server;
    server = undefined;
    dropped += [...sockets].filter((x) => !x.destroyed).length / 2;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  const url = new URL(opts.target);
  url.hostname = "127.0.0.1";
  url.port = String(opts.port);
  return { url: url.toString(), up, down, dropped: () => dropped, stop: down };
}
