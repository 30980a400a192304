/**
 * Signed outgoing webhooks (docs/webhooks.md): the cabinet routes, the events a chat produces, the
 * signature a receiver checks, at-least-once delivery with a retry after a failure, and the deliveries list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, callAppDirect, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";
import {
  configureReceiver,
  createHook,
  deliveries,
  hooksPath,
  type ReceivedDelivery,
  received,
  receiverPath,
  receiverUrl,
  waitForReceived,
} from "../helpers/webhooks.ts";

interface Envelope {
  id: string;
  type: string;
  created_at: string;
  tenant_id: string;
  data: Record<string, unknown>;
}

const body = (r: ReceivedDelivery) => JSON.parse(r.body) as Envelope;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (method: string, path: string, payload: unknown, headers: Record<string, string>) =>
  payload === undefined ? call(path, { method, headers }) : callJson(method, path, payload, headers);

describe("webhook routes", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("adds a hook (secret shown once), lists it without the secret, deletes it", async () => {
    const res = await callJson(
      "POST",
      hooksPath(owner.tenantId),
      { url: receiverUrl(receiverPath()), events: ["lead.created", "lead.created", "message.created"] },
      bearer(owner.token),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const hook = (await res.json()) as { id: string; secret: string; events: string[]; created_at: string };
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(hook.events).toEqual(["lead.created", "message.created"]);
    expect(Number.isNaN(Date.parse(hook.created_at))).toBe(false);

    const listed = await call(hooksPath(owner.tenantId), { headers: bearer(owner.token) });
    const text = await listed.text();
    expect(listed.status).toBe(200);
    expect(text).not.toContain(hook.secret);
    expect((JSON.parse(text) as { items: Array<{ id: string }> }).items.map((h) => h.id)).toContain(hook.id);

    const del = await call(`${hooksPath(owner.tenantId)}/${hook.id}`, {
      method: "DELETE",
      headers: bearer(owner.token),
    });
    expect(del.status).toBe(204);
    const again = await call(`${hooksPath(owner.tenantId)}/${hook.id}`, {
      method: "DELETE",
      headers: bearer(owner.token),
    });
    expect(again.status).toBe(404);
    const after = (await (
      await call(hooksPath(owner.tenantId), { headers: bearer(owner.token) })
    ).json()) as {
      items: Array<{ id: string }>;
    };
    expect(after.items.map((h) => h.id)).not.toContain(hook.id);
  });

  it.each([
    ["no events", { url: "https://hooks.example.com/x", events: [] }, "events"],
    ["an unknown event", { url: "https://hooks.example.com/x", events: ["lead.deleted"] }, "events.0"],
    ["not a URL", { url: "hooks", events: ["lead.created"] }, "url"],
    ["a URL with credentials", { url: "https://a:b@hooks.example.com/x", events: ["lead.created"] }, "url"],
    ["an unknown field", { url: "https://hooks.example.com/x", events: ["lead.created"], x: 1 }, "(root)"],
  ])("refuses %s with 422", async (_label, payload, path) => {
    const res = await callJson("POST", hooksPath(owner.tenantId), payload, bearer(owner.token));
    expect(res.status).toBe(422);
    expect(((await readError(res)).error.issues ?? []).map((i) => i.path)).toContain(path);
  });

  it("allows at most 10 hooks per tenant", async () => {
    const o = await seedOwner();
    for (let i = 0; i < 10; i++) await createHook(o, ["lead.created"]);
    const res = await callJson(
      "POST",
      hooksPath(o.tenantId),
      { url: receiverUrl(receiverPath()), events: ["lead.created"] },
      bearer(o.token),
    );
    expect(res.status).toBe(409);
    expect((await readError(res)).error.code).toBe("conflict");
  });

  it("is for owners of the tenant only", async () => {
    const hook = await createHook(owner, ["lead.created"]);
    const member = await seedMember(owner);
    const stranger = await seedOwner();
    const base = hooksPath(owner.tenantId);
    const attempts: Array<[string, string, unknown]> = [
      ["POST", base, { url: receiverUrl(receiverPath()), events: ["lead.created"] }],
      ["GET", base, undefined],
      ["DELETE", `${base}/${hook.id}`, undefined],
      ["GET", `${base}/${hook.id}/deliveries`, undefined],
      ["POST", `${base}/${hook.id}/test`, undefined],
    ];
    for (const [method, path, payload] of attempts) {
      expect((await send(method, path, payload, {})).status, `${method} ${path} no auth`).toBe(401);
      expect((await send(method, path, payload, bearer(member.token))).status, "member").toBe(403);
      expect((await send(method, path, payload, bearer(stranger.token))).status, "stranger").toBe(403);
    }
    // Another tenant's hook id under one's own tenant is not found, and is left alone.
    const own = hooksPath(stranger.tenantId);
    for (const [method, path] of [
      ["DELETE", `${own}/${hook.id}`],
      ["GET", `${own}/${hook.id}/deliveries`],
      ["POST", `${own}/${hook.id}/test`],
    ] as const) {
      expect((await send(method, path, undefined, bearer(stranger.token))).status, `${method} ${path}`).toBe(
        404,
      );
    }
    expect((await received(hook.path)).length).toBe(0);
    const still = (await (await call(base, { headers: bearer(owner.token) })).json()) as {
      items: Array<{ id: string }>;
    };
    expect(still.items.map((h) => h.id)).toContain(hook.id);
  });

  it("sends a signed test event and lists the attempt, failed or not", async () => {
    const hook = await createHook(owner, ["lead.created"]);
    const res = await call(`${hooksPath(owner.tenantId)}/${hook.id}/test`, {
      method: "POST",
      headers: bearer(owner.token),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const attempt = (await res.json()) as {
      ok: boolean;
      status_code: number;
      event_id: string;
      event_type: string;
    };
    expect(attempt).toMatchObject({ ok: true, status_code: 200, event_type: "ping" });
    const [got] = await received(hook.path);
    expect(got?.signatureValid).toBe(true);
    expect(got?.event).toBe("ping");
    expect(got?.delivery).toBe(attempt.event_id);
    expect(got?.contentType).toBe("application/json");
    expect(body(got as ReceivedDelivery)).toMatchObject({
      id: attempt.event_id,
      type: "ping",
      tenant_id: owner.tenantId,
    });

    await configureReceiver(hook.path, { fail: 1, status: 503 });
    const failed = (await (
      await call(`${hooksPath(owner.tenantId)}/${hook.id}/test`, {
        method: "POST",
        headers: bearer(owner.token),
      })
    ).json()) as { ok: boolean; status_code: number; error: string };
    expect(failed).toMatchObject({ ok: false, status_code: 503, error: "HTTP 503" });
    const list = await deliveries(owner, hook.id);
    expect(list.map((d) => [d.event_type, d.status_code, d.ok])).toEqual([
      ["ping", 503, false],
      ["ping", 200, true],
    ]);
  });
});

describe("events of a chat", () => {
  it("posts dialog.created, message.created and lead.created, signed; a failed delivery is retried", async () => {
    const owner = await seedOwner();
    const hook = await createHook(owner, ["lead.created", "dialog.created", "message.created"]);
    // The first request fails: the at-least-once retry must follow within seconds.
    await configureReceiver(hook.path, { fail: 1, status: 500 });
    const tag = await script({ reply: "Thanks, we will write to you." });
    const res = await chat(owner.tenantId, {
      user_id: visitor(),
      message: `Write to ann@hooks.example ${tag}`,
    });
    const dialogId = dialogIdOf(await readSse(res));

    const list = await waitForReceived(
      hook.path,
      (l) => l.filter((r) => r.status === 200).length >= 4,
      25_000,
    );
    const okOnes = list.filter((r) => r.status === 200);
    expect(list.every((r) => r.signatureValid === true)).toBe(true);
    for (const r of list) expect(r.delivery).toBe(body(r).id);
    const types = okOnes.map((r) => body(r).type).sort();
    expect(types).toEqual(["dialog.created", "lead.created", "message.created", "message.created"]);
    // The failed one came again: the same event, the same bytes.
    const [failed] = list.filter((r) => r.status === 500);
    expect(failed).toBeDefined();
    const retried = okOnes.find((r) => r.delivery === failed?.delivery);
    expect(retried?.body).toBe(failed?.body);
    expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeLessThan(10_000);

    const events = okOnes.map(body);
    const lead = events.find((e) => e.type === "lead.created");
    expect(lead).toMatchObject({
      tenant_id: owner.tenantId,
      data: { dialog_id: dialogId, kind: "email", value: "ann@hooks.example" },
    });
    const created = events.find((e) => e.type === "dialog.created");
    expect(created?.data).toMatchObject({ dialog_id: dialogId, channel: "web" });
    const messages = events.filter((e) => e.type === "message.created").map((e) => e.data);
    expect(messages.map((m) => m.role).sort()).toEqual(["assistant", "user"]);
    expect(messages.find((m) => m.role === "assistant")).toMatchObject({
      content: "Thanks, we will write to you.",
      status: "complete",
      dialog_id: dialogId,
    });

    // The deliveries list shows the failed try with its next time, then the success.
    let rows = await deliveries(owner, hook.id);
    for (let i = 0; i < 50 && rows.length < 5; i++) {
      await pause(100);
      rows = await deliveries(owner, hook.id);
    }
    const tries = rows.filter((d) => d.event_id === failed?.delivery).sort((a, b) => a.attempt - b.attempt);
    expect(tries.map((d) => [d.attempt, d.status_code, d.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
    expect(tries[0]?.next_attempt_at).not.toBeNull();
    expect(tries[1]?.next_attempt_at).toBeNull();
  }, 40_000);

  it("posts only the events a hook subscribes to, and nothing after it is deleted", async () => {
    const owner = await seedOwner();
    const leadsOnly = await createHook(owner, ["lead.created"]);
    const all = await createHook(owner, ["lead.created", "dialog.created", "message.created"]);
    const tag = await script({ reply: "ok" });
    await readSse(await chat(owner.tenantId, { user_id: visitor(), message: `+44 20 7946 0958 ${tag}` }));
    await waitForReceived(all.path, (l) => l.length >= 4);
    const mine = await waitForReceived(leadsOnly.path, (l) => l.length >= 1);
    expect(mine.map((r) => r.event)).toEqual(["lead.created"]);

    const del = await call(`${hooksPath(owner.tenantId)}/${leadsOnly.id}`, {
      method: "DELETE",
      headers: bearer(owner.token),
    });
    expect(del.status).toBe(204);
    await readSse(await chat(owner.tenantId, { user_id: visitor(), message: `bob@hooks.example ${tag}` }));
    await waitForReceived(all.path, (l) => l.filter((r) => r.event === "lead.created").length >= 2);
    expect((await received(leadsOnly.path)).length).toBe(1);
  });
});

describe("webhook targets without WEBHOOK_ALLOW_PRIVATE", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });
  const create = (url: string) =>
    callAppDirect(
      "POST",
      hooksPath(owner.tenantId),
      { url, events: ["lead.created"] },
      { overrides: { WEBHOOK_ALLOW_PRIVATE: undefined }, headers: bearer(owner.token) },
    );

  it.each([
    "http://hooks.example.com/x",
    "https://localhost/x",
    "https://api.localhost/x",
    "https://printer.local/x",
    "https://intranet/x",
    "https://127.0.0.1/x",
    "https://2130706433/x",
    "https://10.1.2.3/x",
    "https://172.20.0.1/x",
    "https://192.168.1.10/x",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/x",
    "https://0.0.0.0/x",
    "https://[::1]/x",
    "https://[fd00::1]/x",
    "https://[fe80::1]/x",
    "https://[::ffff:10.0.0.1]/x",
  ])("refuses %s with 422", async (url) => {
    const res = await create(url);
    expect(res.status, await res.clone().text()).toBe(422);
    expect(((await readError(res)).error.issues ?? []).map((i) => i.path)).toEqual(["url"]);
  });

  it("accepts https on public names and addresses", async () => {
    for (const url of [
      "https://hooks.example.com/cip",
      "https://203.0.114.7:8443/in",
      "https://[2606:4700::1111]/x",
    ]) {
      const res = await create(url);
      expect(res.status, `${url}: ${await res.clone().text()}`).toBe(201);
    }
  });

  it("does not deliver to a private target stored while it was allowed", async () => {
    const path = receiverPath();
    const res = await callJson(
      "POST",
      hooksPath(owner.tenantId),
      { url: receiverUrl(path), events: ["lead.created"] },
      bearer(owner.token),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const tested = await callAppDirect("POST", `${hooksPath(owner.tenantId)}/${id}/test`, undefined, {
      overrides: { WEBHOOK_ALLOW_PRIVATE: undefined },
      headers: bearer(owner.token),
    });
    expect(tested.status).toBe(200);
    const attempt = (await tested.json()) as { ok: boolean; status_code: number | null; error: string };
    expect(attempt.ok).toBe(false);
    expect(attempt.status_code).toBeNull();
    expect(attempt.error).toMatch(/^Not sent: Use an https:\/\/ URL\./);
    expect((await received(path)).length).toBe(0);
  });
});
