/**
 * A WebSocket-to-TCP proxy in the shape the Neon serverless driver expects (`/v1?address=host:port`),
 * so the Neon driver path can run against a plain Postgres on this machine. Local use only: it connects
 * only to the targets it is given.
 */
import { createConnection } from "node:net";
import { WebSocketServer } from "ws";

export interface WsProxy {
  /** Value for NEON_WS_PROXY: `host:port/v1`. */
  address: string;
  stop(): Promise<void>;
}

export async function startWsProxy(opts: {
  port: number;
  host?: string;
  /** `host:port` pairs the proxy may open; anything else is refused. */
  allowedTargets: string[];
}): Promise<WsProxy> {
  const host = opts.host ?? "127.0.0.1";
  const allowed = new Set(opts.allowedTargets);
  const wss = new WebSocketServer({ host, port: opts.port });
  wss.on("connection", (ws, req) => {
    const target = new URL(req.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    const [targetHost, targetPort] = splitHostPort(target);
    if (!allowed.has(target) || !targetHost || !targetPort) {
      ws.close(1008, "target not allowed");
      return;
    }
    const socket = createConnection({ host: targetHost, port: targetPort });
    const pending: Buffer[] = [];
    socket.on("connect", () => {
      for (const chunk of pending.splice(0)) socket.write(chunk);
    });
    socket.on("data", (data) => ws.send(data));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close(1011, "upstream error"));
    ws.on("message", (data: Buffer) => {
      if (socket.connecting) pending.push(data);
      else socket.write(data);
    });
    ws.on("close", () => socket.destroy());
    ws.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  return {
    address: `${host}:${opts.port}/v1`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function splitHostPort(target: string): [string | undefined, number | undefined] {
  const i = target.lastIndexOf(":");
  if (i <= 0) return [undefined, undefined];
  const port = Number(target.slice(i + 1));
  return [target.slice(0, i), Number.isInteger(port) && port > 0 ? port : undefined];
}
