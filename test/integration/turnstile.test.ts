/**
 * Turnstile on a visitor's first message, verified against the fake siteverify (scripts/lib/fake-turnstile.ts,
 * Cloudflare's documented test keys): missing -> 403, failing secret -> 403, passing -> the chat answers,
 * the dialog's next messages need nothing; the secret is stored encrypted and never shown.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DUMMY_TOKEN,
  TEST_SECRETS,
  TEST_SITE_KEYS,
  type VerifyCall,
} from "../../scripts/lib/fake-turnstile.ts";
import { tenants } from "../../src/db/schema.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

const fake = new URL(env.TURNSTILE_VERIFY_URL ?? "").origin;
const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));
const withTurnstile = (secret: string, site_key: string = TEST_SITE_KEYS.pass) => ({
  allowed_origins: [],
  turnstile: { site_key, secret },
});

/** A client address of our own, so the fake's recorded calls can be told apart from other files'. */
function clientIp(): string {
  const n = crypto.getRandomValues(new Uint8Array(3));
  return `10.${n[0]}.${n[1]}.${n[2]}`;
}

async function callsFrom(ip: string): Promise<VerifyCall[]> {
  const all = (await (await fetch(`${fake}/__calls`)).json()) as VerifyCall[];
  return all.filter((c) => c.remoteip === ip);
}

describe("Turnstile on the first message", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
    expect((await putSettings(owner, withTurnstile(TEST_SECRETS.pass))).status).toBe(200);
  });

  it("refuses a new dialog without a token (403) before the model is called", async () => {
    const tag = await script({ reply: "never" });
    const res = await chat(owner.tenantId, { user_id: visitor(), message: `Hi ${tag}` });
    expect(res.status).toBe(403);
    expect((await readError(res)).error.code).toBe("turnstile_required");
    expect(await requestsFor(tag)).toEqual([]);
  });

  it("passes the dummy token with the passing secret; the dialog's next message needs none", async () => {
    const ip = clientIp();
    const user = visitor();
    const first = await chat(
      owner.tenantId,
      { user_id: user, message: "First", turnstile_token: DUMMY_TOKEN },
      { "cf-connecting-ip": ip },
    );
    expect(first.status, await first.clone().text()).toBe(200);
    const events = await readSse(first);
    expect(events.at(-1)?.event).toBe("done");
    const calls = await callsFrom(ip);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ secret: TEST_SECRETS.pass, response: DUMMY_TOKEN, remoteip: ip });
    expect(calls[0]?.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);

    const second = await chatJson(
      owner.tenantId,
      { user_id: user, message: "Second", dialog_id: dialogIdOf(events) },
      { "cf-connecting-ip": ip },
    );
    expect(second.status).toBe(200);
    expect(await callsFrom(ip)).toHaveLength(1);
  });

  it("takes the token from the X-Turnstile-Token header too", async () => {
    const res = await chatJson(
      owner.tenantId,
      { user_id: visitor(), message: "Header" },
      { "x-turnstile-token": DUMMY_TOKEN },
    );
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("refuses a real-looking token: the test secret accepts only the dummy one", async () => {
    const res = await chat(owner.tenantId, {
      user_id: visitor(),
      message: "Hi",
      turnstile_token: "0.real-token",
    });
    expect(res.status).toBe(403);
    expect((await readError(res)).error.code).toBe("turnstile_failed");
  });

  it.each([
    ["the always-failing secret", TEST_SECRETS.fail, /not valid/],
    ["the token-already-spent secret", TEST_SECRETS.spent, /already used/],
  ])("refuses with 403 under %s", async (_label, secret, reason) => {
    const o = await seedOwner();
    expect((await putSettings(o, withTurnstile(secret))).status).toBe(200);
    const tag = await script({ reply: "never" });
    const res = await chat(o.tenantId, {
      user_id: visitor(),
      message: `Hi ${tag}`,
      turnstile_token: DUMMY_TOKEN,
    });
    expect(res.status).toBe(403);
    const body = await readError(res);
    expect(body.error.code).toBe("turnstile_failed");
    expect(body.error.message).toMatch(reason);
    expect(await requestsFor(tag)).toEqual([]);
  });

  it("answers 502 when siteverify fails or answers garbage, so the visitor can retry", async () => {
    const o = await seedOwner();
    expect((await putSettings(o, withTurnstile(TEST_SECRETS.pass))).status).toBe(200);
    for (const failure of [
      { count: 1, status: 500 },
      { count: 1, garbage: true },
    ]) {
      await fetch(`${fake}/__fail`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(failure),
      });
      const res = await chat(o.tenantId, { user_id: visitor(), message: "Hi", turnstile_token: DUMMY_TOKEN });
      expect(res.status).toBe(502);
      expect((await readError(res)).error.code).toBe("upstream_error");
    }
  });

  it("stores the secret encrypted and never shows it", async () => {
    const o = await seedOwner();
    const put = await putSettings(o, withTurnstile(TEST_SECRETS.pass));
    const texts = [await put.text()];
    texts.push(
      await (await call(`/api/v1/tenants/${o.tenantId}/me/embed`, { headers: bearer(o.token) })).text(),
    );
    texts.push(await (await call(`/api/v1/tenants/by-slug/${o.slug}`)).text());
    texts.push(await (await call(`/api/v1/tenants/by-slug/${o.slug}/widget`)).text());
    texts.push(await (await call(`/${o.slug}/chat/embed`)).text());
    for (const text of texts) expect(text).not.toContain(TEST_SECRETS.pass);
    expect(JSON.parse(texts[1] ?? "{}")).toMatchObject({
      turnstile: { site_key: TEST_SITE_KEYS.pass, has_secret: true },
    });
    expect(JSON.parse(texts[2] ?? "{}")).toMatchObject({ chat: { turnstileSiteKey: TEST_SITE_KEYS.pass } });
    const [row] = await withDb(({ db }) =>
      db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, o.tenantId)),
    );
    expect(JSON.stringify(row?.settings)).not.toContain(TEST_SECRETS.pass);
    expect(row?.settings.turnstile?.secretEncrypted).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("keeps the stored secret when only the site key changes, and refuses a site key without any", async () => {
    const o = await seedOwner();
    const noSecret = await putSettings(o, {
      allowed_origins: [],
      turnstile: { site_key: TEST_SITE_KEYS.fail },
    });
    expect(noSecret.status).toBe(422);
    expect((await readError(noSecret)).error.issues?.[0]?.path).toBe("turnstile.secret");
    expect((await putSettings(o, withTurnstile(TEST_SECRETS.pass))).status).toBe(200);
    const changed = await putSettings(o, {
      allowed_origins: [],
      turnstile: { site_key: TEST_SITE_KEYS.interactive },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      turnstile: { site_key: TEST_SITE_KEYS.interactive, has_secret: true },
    });
    const res = await chat(o.tenantId, { user_id: visitor(), message: "Hi", turnstile_token: DUMMY_TOKEN });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it("is removed with turnstile: null, and new dialogs need no token again", async () => {
    const o = await seedOwner();
    expect((await putSettings(o, withTurnstile(TEST_SECRETS.pass))).status).toBe(200);
    expect((await chat(o.tenantId, { user_id: visitor(), message: "Hi" })).status).toBe(403);
    const removed = await putSettings(o, { allowed_origins: [], turnstile: null });
    expect(await removed.json()).toMatchObject({ turnstile: null });
    const res = await chat(o.tenantId, { user_id: visitor(), message: "Hi" });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it("lets the chat pages load the Turnstile script and its frame (CSP), and tells them where from", async () => {
    const scriptOrigin = new URL(env.TURNSTILE_SCRIPT_URL ?? "").origin;
    for (const path of [`/${owner.slug}/chat/embed`, `/${owner.slug}/chat`]) {
      const res = await call(path);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain(`script-src 'self' ${scriptOrigin};`);
      expect(csp, path).toContain(`frame-src 'self' ${scriptOrigin};`);
      expect(csp, path).toContain("default-src 'self'");
      expect(await res.text()).toContain(`"turnstileScript":"${env.TURNSTILE_SCRIPT_URL}"`);
    }
    expect((await call(`/${owner.slug}/chat`)).headers.get("content-security-policy")).toMatch(
      /frame-ancestors 'none'$/,
    );
  });

  it.each([
    ["a site key with spaces", { site_key: "1x0000 0000", secret: TEST_SECRETS.pass }],
    ["a short site key", { site_key: "1x", secret: TEST_SECRETS.pass }],
    ["a secret with markup", { site_key: TEST_SITE_KEYS.pass, secret: "<script>x</script>" }],
    ["an unknown field", { site_key: TEST_SITE_KEYS.pass, secret: TEST_SECRETS.pass, extra: 1 }],
  ])("refuses %s with 422", async (_label, turnstile) => {
    const res = await putSettings(owner, { allowed_origins: [], turnstile });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });
});

describe("Turnstile on every Nth message", () => {
  it("asks for a fresh token on messages N+1, 2N+1, … of a conversation, before the model is called", async () => {
    const owner = await seedOwner();
    const res = await putSettings(owner, {
      allowed_origins: [],
      turnstile: { site_key: TEST_SITE_KEYS.pass, secret: TEST_SECRETS.pass, every_messages: 2 },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { turnstile: unknown }).turnstile).toEqual({
      site_key: TEST_SITE_KEYS.pass,
      has_secret: true,
      every_messages: 2,
    });
    const ip = clientIp();
    const user = visitor();
    const send = (message: string, dialog_id?: string, token?: string) =>
      chatJson(
        owner.tenantId,
        {
          user_id: user,
          message,
          ...(dialog_id ? { dialog_id } : {}),
          ...(token ? { turnstile_token: token } : {}),
        },
        { "cf-connecting-ip": ip },
      );
    const first = await send("one", undefined, DUMMY_TOKEN);
    expect(first.status).toBe(200);
    const { dialog_id } = (await first.json()) as { dialog_id: string };
    expect((await send("two", dialog_id)).status).toBe(200);
    const tag = await script({ reply: "never" });
    const third = await send(`three ${tag}`, dialog_id);
    expect(third.status).toBe(403);
    expect((await readError(third)).error.code).toBe("turnstile_required");
    expect(await requestsFor(tag)).toEqual([]);
    expect((await send("three again", dialog_id, DUMMY_TOKEN)).status).toBe(200);
    expect((await send("four", dialog_id)).status).toBe(200);
    expect((await callsFrom(ip)).map((c) => c.response)).toEqual([DUMMY_TOKEN, DUMMY_TOKEN]);
  });
});
