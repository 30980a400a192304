/**
 * Conversation lifecycle (issue 9, part 5): the owner's conversation policy (validated, stored, public to
 * the chat pages) and `POST .../chat/identify`, the host page's `cip:identify` that stores a lead.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

interface Lead {
  kind: string;
  value: string;
  raw: string;
  dialog_id: string | null;
}

const putSettings = (o: Owner, body: unknown, token = o.token) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(token));
const identify = (tenantId: string, body: unknown, headers: HeadersInit = {}) =>
  callJson("POST", `/api/v1/tenants/${tenantId}/chat/identify`, body, headers);
async function leads(o: Owner): Promise<Lead[]> {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/leads`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Lead[] }).items;
}
async function startDialog(tenantId: string, user: string): Promise<string> {
  const res = await chat(tenantId, { user_id: user, message: "Hello" });
  expect(res.status).toBe(200);
  return dialogIdOf(await readSse(res));
}

describe("conversation policy", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("is keep by default, for the owner and the public chat pages", async () => {
    const embed = await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/embed`, { headers: bearer(owner.token) })
    ).json();
    expect(embed).toMatchObject({
      conversation: { policy: "keep", hours: null },
      protected_embed: false,
      turnstile: null,
    });
    const pub = await (await call(`/api/v1/tenants/by-slug/${owner.slug}`)).json();
    expect(pub).toMatchObject({ chat: { conversation: { policy: "keep", hours: null }, protected: false } });
  });

  it.each([
    [
      { policy: "reset_after_hours", hours: 6 },
      { policy: "reset_after_hours", hours: 6 },
    ],
    [{ policy: "new_on_reload" }, { policy: "new_on_reload", hours: null }],
    [
      { policy: "new_on_reload", hours: 5 },
      { policy: "new_on_reload", hours: null },
    ],
    [{ policy: "keep" }, { policy: "keep", hours: null }],
  ])("stores %j and shows it everywhere", async (conversation, shown) => {
    const res = await putSettings(owner, { allowed_origins: [], conversation });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { conversation: unknown }).conversation).toEqual(shown);
    const pub = (await (await call(`/api/v1/tenants/by-slug/${owner.slug}`)).json()) as {
      chat: { conversation: unknown };
    };
    expect(pub.chat.conversation).toEqual(shown);
    const page = await (await call(`/${owner.slug}/chat/embed`)).text();
    expect(page).toContain(`"conversation":${JSON.stringify(shown)}`);
  });

  it("keeps the policy when a later save leaves it out", async () => {
    await putSettings(owner, { allowed_origins: [], conversation: { policy: "new_on_reload" } });
    const res = await putSettings(owner, { allowed_origins: ["https://shop.example"] });
    expect(await res.json()).toMatchObject({ conversation: { policy: "new_on_reload" } });
  });

  it.each([
    ["reset without hours", { policy: "reset_after_hours" }, "conversation.hours"],
    ["zero hours", { policy: "reset_after_hours", hours: 0 }, "conversation.hours"],
    ["more than 30 days", { policy: "reset_after_hours", hours: 721 }, "conversation.hours"],
    ["fractional hours", { policy: "reset_after_hours", hours: 1.5 }, "conversation.hours"],
    ["an unknown policy", { policy: "forever" }, "conversation.policy"],
    ["an unknown field", { policy: "keep", days: 3 }, "conversation"],
  ])("refuses %s with 422", async (_label, conversation, path) => {
    const res = await putSettings(owner, { allowed_origins: [], conversation });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe(path);
  });

  it("is the owner's only: no token 401, another tenant's owner 403", async () => {
    const body = { allowed_origins: [], conversation: { policy: "keep" } };
    const anonymous = await callJson("PUT", `/api/v1/tenants/${owner.tenantId}/me/embed/settings`, body);
    expect(anonymous.status).toBe(401);
    const stranger = await seedOwner();
    const res = await putSettings(owner, { ...body, protected_embed: true }, stranger.token);
    expect(res.status).toBe(403);
    const after = await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/embed`, { headers: bearer(owner.token) })
    ).json();
    expect(after).toMatchObject({ protected_embed: false });
  });
});

describe("POST /chat/identify", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("stores a lead with the name, deduplicated per tenant", async () => {
    const user = visitor();
    const res = await identify(owner.tenantId, {
      user_id: user,
      name: "Ann Lee",
      email: "Ann.Lee@Shop.Example",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ stored: 1, dialog_id: null });
    const again = await identify(owner.tenantId, { user_id: visitor(), email: "ann.lee@shop.example" });
    expect(await again.json()).toEqual({ stored: 0, dialog_id: null });
    const found = (await leads(owner)).filter((l) => l.value === "ann.lee@shop.example");
    expect(found).toEqual([
      expect.objectContaining({ kind: "email", raw: "Ann Lee <ann.lee@shop.example>", dialog_id: null }),
    ]);
  });

  it("links e-mail and phone to the visitor's dialog and marks it as having a lead", async () => {
    const user = visitor();
    const dialogId = await startDialog(owner.tenantId, user);
    const res = await identify(owner.tenantId, {
      user_id: user,
      dialog_id: dialogId,
      name: "Boris",
      email: "boris@shop.example",
      phone: "+44 20 7946 0958",
    });
    expect(await res.json()).toEqual({ stored: 2, dialog_id: dialogId });
    const mine = (await leads(owner)).filter((l) => l.dialog_id === dialogId);
    expect(mine.map((l) => [l.kind, l.value, l.raw]).sort()).toEqual([
      ["email", "boris@shop.example", "Boris <boris@shop.example>"],
      ["phone", "+442079460958", "Boris, +44 20 7946 0958"],
    ]);
    const dialog = await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs/${dialogId}`, { headers: bearer(owner.token) })
    ).json();
    expect(dialog).toMatchObject({ has_lead: true });
  });

  it("refuses another visitor's dialog, another tenant's dialog and an unknown one with 404", async () => {
    const user = visitor();
    const dialogId = await startDialog(owner.tenantId, user);
    const stranger = await identify(owner.tenantId, {
      user_id: visitor(),
      dialog_id: dialogId,
      email: "x1@shop.example",
    });
    expect(stranger.status).toBe(404);
    const other = await seedOwner();
    const crossTenant = await identify(other.tenantId, {
      user_id: user,
      dialog_id: dialogId,
      email: "x2@shop.example",
    });
    expect(crossTenant.status).toBe(404);
    const unknown = await identify(owner.tenantId, {
      user_id: user,
      dialog_id: crypto.randomUUID(),
      email: "x3@shop.example",
    });
    expect(unknown.status).toBe(404);
    expect((await leads(other)).length).toBe(0);
    expect((await leads(owner)).some((l) => l.value.startsWith("x"))).toBe(false);
  });

  it.each([
    ["neither e-mail nor phone", { name: "Ann" }, "email"],
    ["a bad e-mail", { email: "not-an-email" }, "email"],
    ["a bad phone", { phone: "12345" }, "phone"],
    ["two phones in one", { phone: "+44 20 7946 0958 +44 20 7946 0959" }, "phone"],
    ["a long name", { name: "x".repeat(101), email: "a@shop.example" }, "name"],
    ["a NUL in the name", { name: "A\u0000B", email: "a@shop.example" }, "name"],
    ["an unknown field", { email: "a@shop.example", lead: true }, "(root)"],
    ["a bad dialog id", { email: "a@shop.example", dialog_id: "nope" }, "dialog_id"],
  ])("refuses %s with 422", async (_label, body, path) => {
    const res = await identify(owner.tenantId, { user_id: visitor(), ...body });
    expect(res.status).toBe(422);
    const issues = (await readError(res)).error.issues ?? [];
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it("needs the widget token when the embed is protected", async () => {
    const o = await seedOwner();
    expect((await putSettings(o, { allowed_origins: [], protected_embed: true })).status).toBe(200);
    const user = visitor();
    const refused = await identify(o.tenantId, { user_id: user, email: "guarded@shop.example" });
    expect(refused.status).toBe(401);
    expect((await readError(refused)).error.code).toBe("widget_token_required");
    const issued = await callJson("POST", `/api/v1/tenants/${o.tenantId}/chat/widget-token`, {
      user_id: user,
    });
    const { token } = (await issued.json()) as { token: string };
    const ok = await identify(
      o.tenantId,
      { user_id: user, email: "guarded@shop.example" },
      { "x-widget-token": token },
    );
    expect(ok.status).toBe(200);
    expect((await leads(o)).map((l) => l.value)).toEqual(["guarded@shop.example"]);
  });

  it("limits one visitor to 10 an hour", async () => {
    const o = await seedOwner();
    const user = visitor();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await identify(o.tenantId, { user_id: user, email: `n${i}@shop.example` })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("answers 404 for an unknown tenant", async () => {
    const res = await identify(crypto.randomUUID(), { user_id: visitor(), email: "a@shop.example" });
    expect(res.status).toBe(404);
  });
});
