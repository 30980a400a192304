/**
 * CORS on the API side, through the real routes: the public chat answers only the origins a tenant
 * allows (a refused origin spends no model call and writes no dialog), and no cabinet or account route
 * is readable from another origin. Page headers (CSP of the embed page) are tested with the pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { storedMessages, visitor } from "../helpers/chat.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";

const SHOP = "https://shop.example";
const EVIL = "https://evil.example";

let owner: Owner;
const base = () => `/api/v1/tenants/${owner.tenantId}`;
const dialogCount = async () =>
  (
    (await (await call(`${base()}/me/dialogs`, { headers: bearer(owner.token) })).json()) as {
      items: unknown[];
    }
  ).items.length;

beforeAll(async () => {
  owner = await seedOwner();
  const res = await callJson(
    "PUT",
    `${base()}/me/embed/settings`,
    { allowed_origins: [SHOP] },
    bearer(owner.token),
  );
  expect(res.status).toBe(200);
});

describe("the public chat", () => {
  it("answers an allowed origin, echoing it (never *), without credentials", async () => {
    const res = await callJson(
      "POST",
      `${base()}/chat/message`,
      { user_id: visitor(), message: "Hi" },
      { origin: SHOP },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toMatch(/origin/i);
    // Rows reach Postgres just after the reply: wait, so the next tests count a settled number.
    await storedMessages(((await res.json()) as { dialog_id: string }).dialog_id, 2);
  });

  it.each([
    ["JSON", "/chat/message"],
    ["SSE", "/chat"],
  ])("refuses another origin (%s) before any model call or write", async (_label, suffix) => {
    const before = await dialogCount();
    const tag = await script({ reply: "should never be asked" });
    const res = await callJson(
      "POST",
      `${base()}${suffix}`,
      { user_id: visitor(), message: tag },
      { origin: EVIL },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect((await readError(res)).error.code).toBe("forbidden");
    expect(await requestsFor(tag)).toEqual([]);
    expect(await dialogCount()).toBe(before);
  });

  it("answers preflights: allowed -> 204 with the methods, refused -> 403 without CORS headers", async () => {
    const preflight = (origin: string) =>
      call(`${base()}/chat/message`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const ok = await preflight(SHOP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    const refused = await preflight(EVIL);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("cabinet and account routes", () => {
  const routes: Array<[string, string, (o: Owner) => string, unknown?]> = [
    ["GET", "profile", (o) => `/api/v1/tenants/${o.tenantId}/me/profile`],
    ["GET", "prompt chunks", (o) => `/api/v1/tenants/${o.tenantId}/me/prompt/chunks`],
    ["GET", "leads", (o) => `/api/v1/tenants/${o.tenantId}/me/leads`],
    ["POST", "admin chat", (o) => `/api/v1/tenants/${o.tenantId}/admin/chat/message`, { message: "hi" }],
    [
      "POST",
      "login",
      (o) => `/api/v1/tenants/${o.tenantId}/login`,
      { email: "x@example.com", password: "x" },
    ],
  ];

  it.each(routes)("%s %s is not readable from another origin", async (method, _name, path, body) => {
    const headers = { ...bearer(owner.token), origin: EVIL };
    const res =
      method === "GET"
        ? await call(path(owner), { headers })
        : await callJson(method, path(owner), body, headers);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.body?.cancel();
    const pre = await call(path(owner), {
      method: "OPTIONS",
      headers: {
        origin: EVIL,
        "access-control-request-method": method,
        "access-control-request-headers": "authorization",
      },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect(pre.status).toBeGreaterThanOrEqual(400);
  });
});
