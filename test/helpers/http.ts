/** Calls the worker the way a client would, through its real fetch handler. */
import { exports } from "cloudflare:workers";

export const BASE = "http://cip.test";

/**
 * Each call comes from its own random client address (as Cloudflare would report it), so per-address
 * rate limits only bite in the tests that set `cf-connecting-ip` on purpose.
 */
export function call(path: string, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", randomTestIp());
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers }));
}

function randomTestIp(): string {
  const n = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${n[0]}.${n[1]}`;
}

/** A JSON request with the given method and body. */
export function callJson(
  method: string,
  path: string,
  body: unknown,
  headers: HeadersInit = {},
): Promise<Response> {
  return call(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface ErrorEnvelope {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

/** Reads an error answer and checks it has the envelope shape. */
export async function readError(res: Response): Promise<ErrorEnvelope> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new Error(`error answer is ${type}, not JSON`);
  const body = (await res.json()) as ErrorEnvelope;
  if (typeof body?.error?.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  return body;
}
