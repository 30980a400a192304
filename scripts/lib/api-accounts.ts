/**
 * Account set-up over CIP's HTTP API for scripts: sign a tenant up, confirm the owner through the mailed
 * link (read from MailDev's REST API or the SMTP sink's), sign in. A random `cf-connecting-ip` per script
 * run keeps the per-address rate limits (kept in .dev-data between runs) from spilling over.
 */
import { randomBytes } from "node:crypto";

export const PASSWORD = "correct horse battery 9";
const octet = () => 1 + ((randomBytes(1)[0] ?? 0) % 254);
/** This run's client address (wrangler dev passes a client-sent cf-connecting-ip through). */
export const CLIENT_IP = `10.${octet()}.${octet()}.${octet()}`;

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One JSON call to `/api/v1{path}`; never throws on an HTTP error status. */
export async function api(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; timeoutMs?: number; ip?: string } = {},
): Promise<ApiAnswer> {
  const headers = new Headers({ "cf-connecting-ip": init.ip ?? CLIENT_IP });
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

/** `api()` that throws unless the status is `expected`. */
export async function apiOk(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; ip?: string } = {},
  expected = 200,
): Promise<unknown> {
  const answer = await api(base, path, init);
  if (answer.status !== expected)
    throw new Error(`${init.method ?? "GET"} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A slug nobody used yet. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
}

/** Polls a mail source until a mail to `address` whose text contains `contains` is there. */
async function waitForText(read: () => Promise<string | undefined>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await read();
    if (text !== undefined) return text;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface MailDevMail {
  text?: string;
  html?: string;
  to: Array<{ address: string }>;
}

/** The text of a mail to `address` from MailDev's REST API (`GET /api/email`). */
export function mailDevText(mailApi: string, address: string, contains = "", timeoutMs = 20_000) {
  return waitForText(
    async () => {
      const mails = (await (await fetch(`${mailApi}/api/email`)).json()) as MailDevMail[];
      const mail = mails.find(
        (m) =>
          m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()) &&
          (m.text ?? m.html ?? "").includes(contains),
      );
      return mail ? (mail.text ?? mail.html ?? "") : undefined;
    },
    `mail to ${address}`,
    timeoutMs,
  );
}

/** Texts of every mail to `address` the SMTP sink (smtp-sink.ts) holds. */
export async function sinkTexts(sinkApi: string, address: string): Promise<string[]> {
  const res = await fetch(`${sinkApi}/messages?to=${encodeURIComponent(address)}`);
  return ((await res.json()) as Array<{ text: string }>).map((m) => m.text);
}

/** Waits for a mail to `address` in the SMTP sink and returns its text. */
export function sinkText(sinkApi: string, address: string, timeoutMs = 20_000): Promise<string> {
  return waitForText(async () => (await sinkTexts(sinkApi, address))[0], `mail to ${address}`, timeoutMs);
}

/** The confirmation token in a mail's text. */
export function confirmToken(text: string): string {
  const link = text.match(/https?:\/\/[^\s"<>]+/g)?.find((u) => u.includes("/confirm?token="));
  const token = link ? new URL(link).searchParams.get("token") : null;
  if (!token) throw new Error(`no confirmation link in: ${text.slice(0, 300)}`);
  return token;
}

export interface Owner {
  tenantId: string;
  slug: string;
  email: string;
  token: string;
}

/**
 * Signs a tenant up, confirms the owner with the mailed link, signs in. `ip`: the client address to send
 * as (default this run's CLIENT_IP; a script making more tenants than the per-address sign-up limit allows
 * gives each its own).
 */
export async function createOwner(
  base: string,
  prefix: string,
  mailText: (address: string) => Promise<string>,
  ip?: string,
): Promise<Owner> {
  const slug = uniqueSlug(prefix);
  const email = `owner@${slug}.example.com`;
  const tenant = (await apiOk(
    base,
    "/tenants",
    { body: { slug, name: `Shop ${slug}`, email, password: PASSWORD, locale: "en" }, ip },
    201,
  )) as { id: string };
  const token = confirmToken(await mailText(email));
  await apiOk(base, `/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(token)}`, { ip });
  const login = (await apiOk(base, `/tenants/${tenant.id}/login`, {
    body: { email, password: PASSWORD },
    ip,
  })) as { access_token: string };
  return { tenantId: tenant.id, slug, email, token: login.access_token };
}
