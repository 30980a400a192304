/**
 * A local webhook receiver for tests and `npm run dev` experiments: records every POST (path, CIP headers,
 * raw body), checks `X-CIP-Signature` with the secret it was told for that path (the verification of
 * docs/webhooks.md, `verifyCipSignature` below), and can be told to fail the next N requests of a path.
 * Control API: `POST /__configure {path, secret?, fail?, status?}`, `GET /__requests?path=`,
 * `POST /__reset`. Each test uses a path of its own, so tests never see each other's deliveries.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ReceivedDelivery {
  path: string;
  event: string | null;
  delivery: string | null;
  signature: string | null;
  contentType: string | null;
  body: string;
  /** The status this receiver answered. */
  status: number;
  /** Whether the signature verified with the path's secret (null: no secret was configured). */
  signatureValid: boolean | null;
  at: number;
}

interface PathConfig {
  secret?: string;
  fail: number;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  stop(): Promise<void>;
}

/**
 * Verifies a CIP webhook the way docs/webhooks.md tells receivers to: HMAC-SHA256 of `<t>.<raw body>`
 * under the secret, compared in constant time, and `t` no older than `toleranceSeconds`.
 */
export function verifyCipSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const parts = Object.fromEntries(
    (header ?? "").split(",").map((kv) => {
      const i = kv.indexOf("=");
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(String(parts.v1), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startWebhookReceiver(opts: { port: number; host?: string }): Promise<WebhookReceiver> {
  const host = opts.host ?? "127.0.0.1";
  const received: ReceivedDelivery[] = [];
  const configs = new Map<string, PathConfig>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${host}`);
    const body = await readBody(req);
    const send = (status: number, payload: unknown) => {
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname === "/__configure" && req.method === "POST") {
      const c = JSON.parse(body || "{}") as { path: string; secret?: string; fail?: number; status?: number };
      const prev = configs.get(c.path);
      configs.set(c.path, {
        ...((c.secret ?? prev?.secret) ? { secret: c.secret ?? prev?.secret } : {}),
        fail: c.fail ?? 0,
        status: c.status ?? 500,
      });
      return send(204, null);
    }
    if (url.pathname === "/__requests") {
      const path = url.searchParams.get("path");
      return send(
        200,
        received.filter((r) => !path || r.path === path),
      );
    }
    if (url.pathname === "/__reset" && req.method === "POST") {
      received.length = 0;
      configs.clear();
      return send(204, null);
    }
    if (req.method !== "POST") return send(405, { error: "POST only" });
    const config = configs.get(url.pathname);
    const signature = req.headers["x-cip-signature"];
    const header = typeof signature === "string" ? signature : null;
    let status = 200;
    if (config && config.fail > 0) {
      config.fail -= 1;
      status = config.status;
    }
    received.push({
      path: url.pathname,
      event: (req.headers["x-cip-event"] as string | undefined) ?? null,
      delivery: (req.headers["x-cip-delivery"] as string | undefined) ?? null,
      signature: header,
      contentType: (req.headers["content-type"] as string | undefined) ?? null,
      body,
      status,
      signatureValid: config?.secret ? verifyCipSignature(config.secret, header, body) : null,
      at: Date.now(),
    });
    return send(status, { received: status < 300 });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  return {
    url: `http://${host}:${opts.port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
