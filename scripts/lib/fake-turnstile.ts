/**
 * A local stand-in for Cloudflare Turnstile, so tests and `npm run dev` never reach the internet. It
 * implements the documented behaviour of Turnstile's test keys
 * (https://developers.cloudflare.com/turnstile/troubleshooting/testing/):
 * - `POST /turnstile/v0/siteverify` (form-encoded or JSON, like the real one): secret
 *   1x0000000000000000000000000000000AA passes the dummy token, 2x…AA always fails
 *   (`invalid-input-response`), 3x…AA answers `timeout-or-duplicate`; test secrets refuse real tokens and
 *   any other secret refuses the dummy token; missing fields give `missing-input-*`. Answers are the real
 *   JSON: {success, error-codes, challenge_ts, hostname, action, cdata}.
 * - `GET /turnstile/v0/api.js`: the widget script with the real `window.turnstile` API (render, reset,
 *   remove, getResponse, isExpired, execute, ready; implicit `.cf-turnstile` rendering unless
 *   `?render=explicit`; `?onload=`). Site keys 1x00000000000000000000AA/BB pass with the dummy token
 *   `XXXX.DUMMY.TOKEN.XXXX`, 2x00000000000000000000AB/BB fail, 3x00000000000000000000FF waits for a click;
 *   a real site key cannot be served here and fails with 110100 (invalid sitekey).
 * Control API: `GET /__calls` (siteverify calls received), `POST /__fail` `{count, status?, garbage?}`
 * (the next `count` siteverify calls answer that HTTP status, or a non-JSON body), `POST /__reset`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { DUMMY_TOKEN, STAND_IN_SCRIPT } from "./fake-turnstile-script.ts";

export { DUMMY_TOKEN };

/** Test secret keys and site keys, as Cloudflare documents them. */
export const TEST_SECRETS = {
  pass: "1x0000000000000000000000000000000AA",
  fail: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
} as const;
export const TEST_SITE_KEYS = {
  pass: "1x00000000000000000000AA",
  fail: "2x00000000000000000000AB",
  invisiblePass: "1x00000000000000000000BB",
  invisibleFail: "2x00000000000000000000BB",
  interactive: "3x00000000000000000000FF",
} as const;

export interface VerifyCall {
  secret: string;
  response: string;
  remoteip: string;
  idempotency_key: string;
  at: number;
}

export interface FakeTurnstile {
  url: string;
  verifyUrl: string;
  scriptUrl: string;
  calls: VerifyCall[];
  stop(): Promise<void>;
}

type Verdict = { success: boolean; "error-codes": string[]; [k: string]: unknown };

/** What siteverify answers for a secret and a token. */
export function siteverify(secret: string, token: string): Verdict {
  const fail = (...codes: string[]): Verdict => ({ success: false, "error-codes": codes });
  if (!secret) return fail("missing-input-secret");
  if (!token) return fail("missing-input-response");
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(secret)) return fail("invalid-input-secret");
  if (token.length > 2048) return fail("invalid-input-response");
  const isTest = (Object.values(TEST_SECRETS) as string[]).includes(secret);
  if (secret === TEST_SECRETS.fail) return fail("invalid-input-response");
  if (secret === TEST_SECRETS.spent) return fail("timeout-or-duplicate");
  // Test secrets accept only the dummy token; production secrets refuse it (and real tokens need Cloudflare).
  if (!isTest || token !== DUMMY_TOKEN) return fail("invalid-input-response");
  return {
    success: true,
    "error-codes": [],
    challenge_ts: new Date().toISOString(),
    hostname: "localhost",
    action: "",
    cdata: "",
  };
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v ?? "")]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

export async function startFakeTurnstile(opts: { port: number; host?: string }): Promise<FakeTurnstile> {
  const host = opts.host ?? "127.0.0.1";
  const calls: VerifyCall[] = [];
  let failures: { count: number; status: number; garbage: boolean } | null = null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /turnstile/v0/api.js") {
      return send(res, 200, STAND_IN_SCRIPT, "application/javascript; charset=utf-8");
    }
    if (route === "POST /turnstile/v0/siteverify") {
      const body = await readBody(req);
      const call: VerifyCall = {
        secret: body.secret ?? "",
        response: body.response ?? "",
        remoteip: body.remoteip ?? "",
        idempotency_key: body.idempotency_key ?? "",
        at: Date.now(),
      };
      calls.push(call);
      if (failures && failures.count > 0) {
        failures.count -= 1;
        if (failures.garbage) return send(res, 200, "<html>upstream trouble</html>", "text/html");
        return send(res, failures.status, { success: false, "error-codes": ["internal-error"] });
      }
      return send(res, 200, siteverify(call.secret, call.response));
    }
    if (route === "GET /__calls") return send(res, 200, calls);
    if (route === "POST /__fail") {
      const b = await readBody(req);
      failures = {
        count: Number(b.count ?? 1),
        status: Number(b.status ?? 500),
        garbage: b.garbage === "true",
      };
      return send(res, 204, "");
    }
    if (route === "POST /__reset") {
      calls.length = 0;
      failures = null;
      return send(res, 204, "");
    }
    send(res, 404, { success: false, "error-codes": ["bad-request"] });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  const url = `http://${host}:${opts.port}`;
  return {
    url,
    verifyUrl: `${url}/turnstile/v0/siteverify`,
    scriptUrl: `${url}/turnstile/v0/api.js`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
