/** Test set-up through the API and MailDev's REST API (GET /api/email): tenants, confirmed owners, tokens. */
import type { Page } from "playwright-core";
import { inject } from "vitest";

export const PASSWORD = "correct horse battery 9";

const octet = () => 1 + Math.floor(Math.random() * 254);
/**
 * A client address of our own for this test file. `npm run dev` keeps the rate limiter's counters in
 * .dev-data between runs (sign-up allows 10 an hour per address); wrangler dev passes a client-sent
 * `cf-connecting-ip` through (Cloudflare's edge would overwrite it), so each file counts on its own.
 */
export const CLIENT_IP = `10.${octet()}.${octet()}.${octet()}`;

interface MailDevMail {
  subject: string;
  text?: string;
  html?: string;
  to: Array<{ address: string }>;
}

/** Waits for a mail to `address` (whose text contains `contains`) and returns its text part. */
export async function waitForMail(address: string, contains = "", timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${inject("mailApi")}/api/email`);
    const mails = (await res.json()) as MailDevMail[];
    const mail = mails.find(
      (m) =>
        m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()) &&
        (m.text ?? m.html ?? "").includes(contains),
    );
    if (mail) return mail.text ?? mail.html ?? "";
    if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first link in `text` whose path contains `part`. */
export function linkIn(text: string, part: string): string {
  const link = text.match(/https?:\/\/[^\s"<>]+/g)?.find((u) => u.includes(part));
  if (!link) throw new Error(`no ${part} link in: ${text}`);
  return link;
}

/** A slug nobody used yet. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", CLIENT_IP);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body && typeof init.body === "string") headers.set("content-type", "application/json");
  const res = await fetch(`${inject("baseUrl")}/api/v1${path}`, { ...init, headers });
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

export interface Owner {
  slug: string;
  tenantId: string;
  email: string;
  token: string;
}

/** Signs a tenant up, confirms the owner through the mailed link and signs in (all over HTTP). */
export async function createOwner(prefix: string, locale: "en" | "ru" = "en"): Promise<Owner> {
  const slug = uniqueSlug(prefix);
  const email = `owner@${slug}.example.com`;
  const tenant = await call<{ id: string }>("/tenants", {
    method: "POST",
    body: JSON.stringify({ slug, name: `Shop ${slug}`, email, password: PASSWORD, locale }),
  });
  const token = new URL(linkIn(await waitForMail(email), "/confirm?token=")).searchParams.get("token") ?? "";
  await call(`/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(token)}`);
  const login = await call<{ access_token: string }>(`/tenants/${tenant.id}/login`, {
    method: "POST",
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return { slug, tenantId: tenant.id, email, token: login.access_token };
}

export { call as apiCall };

/** Opens pages of this tenant already signed in with `token` (as the login page would leave it). */
export async function signIn(page: Page, tenantId: string, token: string): Promise<void> {
  await page.addInitScript(
    ([key, value]) => localStorage.setItem(key ?? "", value ?? ""),
    [`cip:${tenantId}:session`, JSON.stringify({ token, expiresAt: Date.now() + 3_600_000 })],
  );
}

/** Registers a scripted reply with the offline model; a message containing `[[script:id]]` gets it. */
export async function scriptReply(id: string, script: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${inject("modelUrl")}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, script }),
  });
  if (!res.ok) throw new Error(`script ${id}: ${res.status}`);
}
