/**
 * Protected embed: with `protected_embed` on, every visitor route needs a widget token of this tenant,
 * visitor and page origin, checked before the dialog object or the model is reached; off, nothing changes.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "../../src/config.ts";
import { signWidgetToken, widgetTokenKey } from "../../src/lib/widget-token.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, visitor } from "../helpers/chat.ts";
import { BASE, call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse, tokensText } from "../helpers/sse.ts";

const SHOP = "https://shop.example";
const OTHER_SHOP = "https://other-shop.example";

const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

interface Issued {
  token: string;
  origin: string;
  expires_in: number;
  expires_at: string;
}

async function issue(
  tenantId: string,
  body: Record<string, unknown>,
  headers: HeadersInit = {},
): Promise<Response> {
  return callJson("POST", `/api/v1/tenants/${tenantId}/chat/widget-token`, body, headers);
}

async function tokenFor(tenantId: string, userId: string, origin = SHOP): Promise<string> {
  const res = await issue(tenantId, { user_id: userId }, { origin });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as Issued).token;
}

/** A message whose model call we can look for afterwards (it must never happen when refused). */
async function tracedMessage(): Promise<{ tag: string; message: string }> {
  const tag = await script({ reply: "Answer from the model." });
  return { tag, message: `Hello ${tag}` };
}

async function expectRefused(res: Response, status: number, code: string, tag: string): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(status);
  expect((await readError(res)).error.code).toBe(code);
  expect(await requestsFor(tag), "the model must not be called").toEqual([]);
}

describe("protected embed", () => {
  let owner: Owner;
  let other: Owner;
  beforeAll(async () => {
    [owner, other] = await Promise.all([seedOwner(), seedOwner()]);
    const on = { allowed_origins: [SHOP, OTHER_SHOP], protected_embed: true };
    for (const o of [owner, other]) expect((await putSettings(o, on)).status).toBe(200);
  });

  it("is off by default: the chat answers without a token", async () => {
    const fresh = await seedOwner();
    const res = await chat(fresh.tenantId, { user_id: visitor(), message: "Hi" });
    expect(res.status).toBe(200);
    expect((await readSse(res)).at(-1)?.event).toBe("done");
    const info = (await (
      await call(`/api/v1/tenants/${fresh.tenantId}/me/embed`, { headers: bearer(fresh.token) })
    ).json()) as {
      protected_embed: boolean;
    };
    expect(info.protected_embed).toBe(false);
  });

  it("refuses a message without a token with 401 before the model is called", async () => {
    const { tag, message } = await tracedMessage();
    await expectRefused(
      await chat(owner.tenantId, { user_id: visitor(), message }),
      401,
      "widget_token_required",
      tag,
    );
    await expectRefused(
      await chatJson(owner.tenantId, { user_id: visitor(), message }),
      401,
      "widget_token_required",
      tag,
    );
  });

  it("refuses a forged token (claims changed, MAC kept) with 401", async () => {
    const user = visitor();
    const token = await tokenFor(owner.tenantId, user);
    const [kind, body, mac] = token.split(".");
    const claims = JSON.parse(atob((body ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { e: number };
    const forgedBody = btoa(JSON.stringify({ ...claims, e: claims.e + 86_400 }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const { tag, message } = await tracedMessage();
    const res = await chat(
      owner.tenantId,
      { user_id: user, message },
      { "x-widget-token": `${kind}.${forgedBody}.${mac}` },
    );
    await expectRefused(res, 401, "widget_token_invalid", tag);
    const garbage = await chat(
      owner.tenantId,
      { user_id: user, message },
      { "x-widget-token": "not-a-token" },
    );
    await expectRefused(garbage, 401, "widget_token_invalid", tag);
  });

  it("refuses an expired token with 401 widget_token_expired", async () => {
    const user = visitor();
    const expired = await signWidgetToken(await widgetTokenKey(authConfig(env).jwtKey), "token", {
      tenantId: owner.tenantId,
      origin: SHOP,
      visitorId: user,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const { tag, message } = await tracedMessage();
    const res = await chat(
      owner.tenantId,
      { user_id: user, message },
      { "x-widget-token": expired, origin: SHOP },
    );
    await expectRefused(res, 401, "widget_token_expired", tag);
  });

  it("refuses another visitor's token with 403", async () => {
    const token = await tokenFor(owner.tenantId, visitor());
    const { tag, message } = await tracedMessage();
    const res = await chat(
      owner.tenantId,
      { user_id: visitor(), message },
      { "x-widget-token": token, origin: SHOP },
    );
    await expectRefused(res, 403, "widget_token_mismatch", tag);
  });

  it("refuses another tenant's token with 403", async () => {
    const user = visitor();
    const foreign = await tokenFor(other.tenantId, user);
    const { tag, message } = await tracedMessage();
    const res = await chat(
      owner.tenantId,
      { user_id: user, message },
      { "x-widget-token": foreign, origin: SHOP },
    );
    await expectRefused(res, 403, "widget_token_mismatch", tag);
  });

  it("refuses a token used from another site than it was issued for with 403", async () => {
    const user = visitor();
    const token = await tokenFor(owner.tenantId, user, SHOP);
    const { tag, message } = await tracedMessage();
    const res = await chat(
      owner.tenantId,
      { user_id: user, message },
      { "x-widget-token": token, origin: OTHER_SHOP },
    );
    await expectRefused(res, 403, "widget_token_mismatch", tag);
    expect(
      (
        await readError(
          await chat(
            owner.tenantId,
            { user_id: user, message },
            { "x-widget-token": token, origin: OTHER_SHOP },
          ),
        )
      ).error.message,
    ).toMatch(/another site/);
  });

  it("refuses a token whose site was removed from the allowed origins since", async () => {
    const o = await seedOwner();
    expect((await putSettings(o, { allowed_origins: [SHOP], protected_embed: true })).status).toBe(200);
    const user = visitor();
    const token = await tokenFor(o.tenantId, user, SHOP);
    expect((await putSettings(o, { allowed_origins: [OTHER_SHOP], protected_embed: true })).status).toBe(200);
    const { tag, message } = await tracedMessage();
    // A script sends no Origin; the token's own site is what is checked then.
    const res = await chat(o.tenantId, { user_id: user, message }, { "x-widget-token": token });
    await expectRefused(res, 403, "widget_token_mismatch", tag);
  });

  it("streams with a valid token, and the dialog's stop, resume and JSON turn take it too", async () => {
    const user = visitor();
    const token = await tokenFor(owner.tenantId, user);
    const headers = { "x-widget-token": token, origin: SHOP };
    const res = await chat(owner.tenantId, { user_id: user, message: "Hello shop" }, headers);
    expect(res.status, await res.clone().text()).toBe(200);
    const events = await readSse(res);
    expect(events.at(-1)?.event).toBe("done");
    expect(tokensText(events)).toContain("Hello shop");
    const dialogId = dialogIdOf(events);

    const json = await chatJson(
      owner.tenantId,
      { user_id: user, message: "Again", dialog_id: dialogId },
      headers,
    );
    expect(json.status).toBe(200);
    const resumePath = `/api/v1/tenants/${owner.tenantId}/chat/${dialogId}/stream?user_id=${encodeURIComponent(user)}`;
    expect((await call(resumePath)).status).toBe(401);
    const resumed = await call(resumePath, { headers });
    expect(resumed.status).toBe(200);
    await resumed.body?.cancel();
    const stopPath = `/api/v1/tenants/${owner.tenantId}/chat/${dialogId}/stop`;
    expect((await callJson("POST", stopPath, { user_id: user })).status).toBe(401);
    const stopped = await callJson("POST", stopPath, { user_id: user }, headers);
    expect(stopped.status).toBe(200);
    // The operator feed of a taken-over dialog is a visitor route too.
    const feedPath = `/api/v1/tenants/${owner.tenantId}/chat/${dialogId}/events?user_id=${encodeURIComponent(user)}`;
    const bare = await call(feedPath);
    expect(bare.status).toBe(401);
    expect((await readError(bare)).error.code).toBe("widget_token_required");
    const feed = await call(feedPath, { headers });
    expect(feed.status).toBe(200);
    await feed.body?.cancel();
  });

  it("issues tokens only for allowed sites, bound to the caller's Origin", async () => {
    const user = visitor();
    const ok = await issue(owner.tenantId, { user_id: user }, { origin: SHOP });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const issued = (await ok.json()) as Issued;
    expect(issued).toMatchObject({ origin: SHOP, expires_in: 900 });
    expect(Date.parse(issued.expires_at) - Date.now()).toBeGreaterThan(890_000);
    // A site that is not allowed: CORS refuses it before anything else.
    expect((await issue(owner.tenantId, { user_id: user }, { origin: "https://evil.example" })).status).toBe(
      403,
    );
    // No Origin at all (a script) while origins are listed: nothing to bind to, refused.
    const bare = await issue(owner.tenantId, { user_id: user });
    expect(bare.status).toBe(403);
    expect((await readError(bare)).error.code).toBe("widget_token_mismatch");
    // CIP's own chat page may always have one.
    const own = await issue(owner.tenantId, { user_id: user }, { origin: BASE });
    expect(((await own.json()) as Issued).origin).toBe(BASE);
    expect((await issue(crypto.randomUUID(), { user_id: user }, { origin: BASE })).status).toBe(404);
  });

  it("trades the embed page's pass for a token bound to the host page the page was served for", async () => {
    const page = await call(`/${owner.slug}/chat/embed`, {
      headers: { referer: `${SHOP}/products/42`, "sec-fetch-dest": "iframe" },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    const config = JSON.parse(
      /<script type="application\/json" id="cip-page">(.*?)<\/script>/.exec(html)?.[1] ?? "{}",
    ) as {
      pass: string | null;
      hostOrigin: string | null;
    };
    expect(config.hostOrigin).toBe(SHOP);
    expect(config.pass).toMatch(/^cep1\./);
    const user = visitor();
    // The embed iframe calls from CIP's own origin; the token still names the shop.
    const res = await issue(owner.tenantId, { user_id: user, pass: config.pass }, { origin: BASE });
    const issued = (await res.json()) as Issued;
    expect(issued.origin).toBe(SHOP);
    const chatRes = await chat(
      owner.tenantId,
      { user_id: user, message: "From the iframe" },
      {
        "x-widget-token": issued.token,
        origin: BASE,
      },
    );
    expect(chatRes.status).toBe(200);
    expect((await readSse(chatRes)).at(-1)?.event).toBe("done");
    // The pass is this tenant's only, and not a token itself.
    expect((await issue(other.tenantId, { user_id: user, pass: config.pass }, { origin: BASE })).status).toBe(
      403,
    );
    const asToken = await chat(
      owner.tenantId,
      { user_id: user, message: "x" },
      { "x-widget-token": config.pass ?? "" },
    );
    expect((await readError(asToken)).error.code).toBe("widget_token_invalid");
    // A page served for a site that may not embed the chat gets no pass.
    const evil = await call(`/${owner.slug}/chat/embed`, {
      headers: { referer: "https://evil.example/", "sec-fetch-dest": "iframe" },
    });
    expect(await evil.text()).toContain('"pass":null');
  });

  it("turned off again, the chat answers without a token", async () => {
    const o = await seedOwner();
    expect((await putSettings(o, { allowed_origins: [], protected_embed: true })).status).toBe(200);
    expect((await chat(o.tenantId, { user_id: visitor(), message: "Hi" })).status).toBe(401);
    expect((await putSettings(o, { allowed_origins: [], protected_embed: false })).status).toBe(200);
    const res = await chat(o.tenantId, { user_id: visitor(), message: "Hi" });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });
});
