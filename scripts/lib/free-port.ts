import { createServer } from "node:net";

/** Ports handed out in this process, so two services never get the same one. */
const given = new Set<number>();

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port below the kernel's ephemeral range (32768+ on Linux): a port from that range can be
 * taken by an outgoing connection between this check and the service's own listen.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (given.has(port)) continue;
    if (await tryPort(port)) {
      given.add(port);
      return port;
    }
  }
  throw new Error("no free loopback port found between 20000 and 32000");
}
