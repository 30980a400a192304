/**
 * A local fake of the Telegram Bot API speaking its real shapes (`{ok: true, result}` and
 * `{ok: false, error_code, description, parameters?: {retry_after}}`) at `/bot<token>/<method>` for getMe,
 * setWebhook, getWebhookInfo, deleteWebhook, sendMessage, sendChatAction, sendPhoto and sendMediaGroup.
 * Any well-formed token is a bot; REJECTED_BOT_TOKEN is refused with 401 like a revoked token.
 * Control API: `GET /__calls?token=&method=` (recorded calls), `POST /__fail` `{method, count, status,
 * retry_after?, token?}` (the next `count` matching calls fail), `POST /__webhook_info` `{token, ...}`
 * (fields getWebhookInfo adds), `POST /__reset`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A well-formed token that getMe (and every other method) refuses with 401. */
export const REJECTED_BOT_TOKEN = "100000:REJECTED_rejected_rejected_rejected_0000";
const TOKEN_RE = /^\d{5,12}:[A-Za-z0-9_-]{30,}$/;
const SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;

export interface RecordedCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
  status: number;
  at: number;
}

interface Failure {
  method: string;
  token?: string;
  count: number;
  status: number;
  retry_after?: number;
}

export interface FakeTelegram {
  url: string;
  calls: RecordedCall[];
  stop(): Promise<void>;
}

type Answer = { status: number; body: Record<string, unknown> };
const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const fail = (status: number, description: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { ok: false, error_code: status, description, ...extra },
});

export async function startFakeTelegram(opts: { port: number; host?: string }): Promise<FakeTelegram> {
  const host = opts.host ?? "127.0.0.1";
  const calls: RecordedCall[] = [];
  let failures: Failure[] = [];
  const webhooks = new Map<string, Record<string, unknown>>();
  const extraInfo = new Map<string, Record<string, unknown>>();
  let nextMessageId = 1;

  const message = (params: Record<string, unknown>, extra: Record<string, unknown>) => ({
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(params.chat_id), type: "private" },
    ...extra,
  });

  function answer(token: string, method: string, p: Record<string, unknown>): Answer {
    if (token === REJECTED_BOT_TOKEN) return fail(401, "Unauthorized");
    const botId = Number(token.split(":")[0]);
    const needChat = () => (p.chat_id === undefined ? fail(400, "Bad Request: chat_id is empty") : null);
    switch (method) {
      case "getMe":
        return ok({ id: botId, is_bot: true, first_name: `Bot ${botId}`, username: `cip_${botId}_bot` });
      case "setWebhook": {
        if (typeof p.url !== "string") return fail(400, "Bad Request: bad webhook: URL is empty");
        if (p.secret_token !== undefined && !SECRET_RE.test(String(p.secret_token)))
          return fail(400, "Bad Request: secret token contains unallowed characters");
        webhooks.set(token, p);
        return { status: 200, body: { ok: true, result: true, description: "Webhook was set" } };
      }
      case "deleteWebhook":
        webhooks.delete(token);
        return { status: 200, body: { ok: true, result: true, description: "Webhook was deleted" } };
      case "getWebhookInfo": {
        const hook = webhooks.get(token);
        return ok({
          url: typeof hook?.url === "string" ? hook.url : "",
          has_custom_certificate: false,
          pending_update_count: 0,
          ...(hook?.allowed_updates ? { allowed_updates: hook.allowed_updates } : {}),
          ...extraInfo.get(token),
        });
      }
      case "sendChatAction":
        return needChat() ?? ok(true);
      case "sendMessage": {
        const text = typeof p.text === "string" ? p.text : "";
        if (!text.trim()) return needChat() ?? fail(400, "Bad Request: message text is empty");
        if (text.length > 4096) return fail(400, "Bad Request: message is too long");
        return needChat() ?? ok(message(p, { text }));
      }
      case "sendPhoto":
        if (typeof p.photo !== "string") return fail(400, "Bad Request: there is no photo in the request");
        return needChat() ?? ok(message(p, { photo: [{ file_id: String(p.photo) }], caption: p.caption }));
      case "sendMediaGroup": {
        const media = Array.isArray(p.media) ? p.media : [];
        if (media.length < 2 || media.length > 10)
          return fail(400, "Bad Request: media must include 2-10 items");
        return needChat() ?? ok(media.map((m) => message(p, { photo: [{ file_id: JSON.stringify(m) }] })));
      }
      default:
        return fail(404, "Not Found");
    }
  }

  function injected(token: string, method: string): Answer | null {
    const f = failures.find((x) => x.method === method && (!x.token || x.token === token) && x.count > 0);
    if (!f) return null;
    f.count -= 1;
    if (f.status === 429) {
      const after = f.retry_after ?? 1;
      return fail(429, `Too Many Requests: retry after ${after}`, { parameters: { retry_after: after } });
    }
    return fail(f.status, f.status >= 500 ? "Internal Server Error" : "Bad Request");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) =>
      void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const raw = await readBody(req);
    if (url.pathname === "/__calls") {
      const token = url.searchParams.get("token");
      const method = url.searchParams.get("method");
      return send(
        200,
        calls.filter((c) => (!token || c.token === token) && (!method || c.method === method)),
      );
    }
    if (url.pathname === "/__fail" && req.method === "POST") {
      failures.push(JSON.parse(raw) as Failure);
      return send(200, { ok: true });
    }
    if (url.pathname === "/__webhook_info" && req.method === "POST") {
      const { token, ...fields } = JSON.parse(raw) as { token: string } & Record<string, unknown>;
      extraInfo.set(token, fields);
      return send(200, { ok: true });
    }
    if (url.pathname === "/__reset" && req.method === "POST") {
      calls.length = 0;
      failures = [];
      webhooks.clear();
      extraInfo.clear();
      return send(200, { ok: true });
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const token = match?.[1] ?? "";
    const method = match?.[2] ?? "";
    if (!TOKEN_RE.test(token) || !method) return send(404, fail(404, "Not Found").body);
    const params = paramsOf(req, raw, url);
    if (!params) return send(400, fail(400, "Bad Request: can't parse JSON object").body);
    const result = injected(token, method) ?? answer(token, method, params);
    calls.push({ method, token, params, status: result.status, at: Date.now() });
    return send(result.status, result.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  return {
    url: `http://${host}:${opts.port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Bot API parameters from a JSON body, a form body or the query string. */
function paramsOf(req: IncomingMessage, raw: string, url: URL): Record<string, unknown> | null {
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json") && raw) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  const form = type.includes("application/x-www-form-urlencoded")
    ? new URLSearchParams(raw)
    : url.searchParams;
  return Object.fromEntries(form.entries());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
