/** Seeds tenants and accounts through the public API, the way a user would make them. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { app } from "../../src/app.ts";
import type { Bindings } from "../../src/env.ts";
import { BASE, callJson, readError } from "./http.ts";
import { linkIn, waitForMails } from "./mail.ts";

let counter = 0;
/** A slug (and e-mail) no other test uses. */
export function uniqueName(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36)}`;
}

export const GOOD_PASSWORD = "violet-harbor-42-lantern";

export interface Owner {
  tenantId: string;
  slug: string;
  email: string;
  password: string;
  userId: string;
  token: string;
}

/** Signs up a tenant, confirms the owner's e-mail from the mail it got, and logs in. */
export async function seedOwner(opts: { locale?: "ru" | "en" } = {}): Promise<Owner> {
  const slug = uniqueName("t");
  const email = `${slug}@example.com`;
  const res = await callJson("POST", "/api/v1/tenants", {
    slug,
    name: `Tenant ${slug}`,
    email,
    password: GOOD_PASSWORD,
    ...opts,
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { id: string; owner: { id: string } };
  await confirmFromMail(email);
  const token = await loginAs(created.id, email, GOOD_PASSWORD);
  return { tenantId: created.id, slug, email, password: GOOD_PASSWORD, userId: created.owner.id, token };
}

/** Registers a member of a tenant, confirms and logs in. */
export async function seedMember(owner: Owner): Promise<Omit<Owner, "slug"> & { slug: string }> {
  const email = `${uniqueName("m")}@example.com`;
  const res = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
    email,
    password: GOOD_PASSWORD,
  });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  await confirmFromMail(email);
  const token = await loginAs(owner.tenantId, email, GOOD_PASSWORD);
  const me = (await (
    await callJson("GET", `/api/v1/tenants/${owner.tenantId}/me/profile`, undefined, {
      authorization: `Bearer ${token}`,
    })
  ).json()) as { id: string };
  return { tenantId: owner.tenantId, slug: owner.slug, email, password: GOOD_PASSWORD, userId: me.id, token };
}

export async function confirmFromMail(email: string, nth = 1): Promise<Response> {
  const mails = await waitForMails(email, nth);
  const link = linkIn(mails[nth - 1] as (typeof mails)[number], "/confirm");
  const slug = link.pathname.split("/")[1];
  const token = link.searchParams.get("token") ?? "";
  return callJson(
    "GET",
    `/api/v1/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(token)}`,
    undefined,
  );
}

export async function loginAs(tenantId: string, email: string, password: string): Promise<string> {
  const res = await callJson("POST", `/api/v1/tenants/${tenantId}/login`, { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The `token` of the `nth` mail to `email` whose link contains `path` ("/confirm", "/reset-password"). */
export async function tokenFromMail(email: string, path: string, nth = 1): Promise<string> {
  const mails = await waitForMails(email, nth);
  const token = linkIn(mails[nth - 1] as (typeof mails)[number], path).searchParams.get("token");
  if (!token) throw new Error(`no token in mail ${nth} to ${email}`);
  return token;
}

/** Registers an (unconfirmed) member and returns its address and the confirmation token it was mailed. */
export async function registerUnconfirmed(tenantId: string): Promise<{ email: string; token: string }> {
  const email = `${uniqueName("u")}@example.com`;
  const res = await callJson("POST", `/api/v1/tenants/${tenantId}/register`, {
    email,
    password: GOOD_PASSWORD,
  });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return { email, token: await tokenFromMail(email, "/confirm") };
}

/** GET confirm for `slug` with `token`. */
export function confirmWith(slug: string, token: string): Promise<Response> {
  return callJson(
    "GET",
    `/api/v1/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(token)}`,
    undefined,
  );
}

/**
 * Calls the app in this isolate with `overrides` on top of the test bindings (e.g. no SMTP, a short
 * JWT_SECRET), and waits for the work it deferred past the response (mail delivery) to finish.
 */
export async function callAppDirect(
  method: string,
  path: string,
  body: unknown,
  opts: { overrides?: Partial<Record<keyof Bindings, string | undefined>>; headers?: HeadersInit } = {},
): Promise<Response> {
  const headers = new Headers(opts.headers);
  headers.set("content-type", "application/json");
  if (!headers.has("cf-connecting-ip"))
    headers.set("cf-connecting-ip", `192.0.2.${Math.floor(Math.random() * 250)}`);
  const request = new Request(`${BASE}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const ctx = createExecutionContext();
  const res = await app.fetch(request, { ...env, ...opts.overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Asserts an error answer's status and (when given) code; returns the raw body for further checks. */
export async function expectError(res: Response, status: number, code?: string): Promise<string> {
  const text = await res.clone().text();
  expect(res.status, text).toBe(status);
  const body = await readError(res);
  if (code) expect(body.error.code, text).toBe(code);
  return text;
}
