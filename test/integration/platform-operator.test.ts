/**
 * The platform operator (docs/operator.md): who may call the console routes, tenant listing and search,
 * block and unblock (chat unavailable without a model call, Telegram updates dropped, sign-in refused),
 * read-only support sessions (writes refused, expiry, the owner sees them) and the audit trail.
 */
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { supportTickets, telegramUpdates, usageDaily } from "../../src/db/schema.ts";
import { issueTicketToken } from "../../src/lib/jwt.ts";
import {
  bearer,
  callAppDirect,
  expectError,
  GOOD_PASSWORD,
  type Owner,
  seedMember,
  seedOwner,
  uniqueName,
} from "../helpers/accounts.ts";
import { visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { type Platform, platformCall, seedPlatform } from "../helpers/platform.ts";
import { chatId, connectBot, deliver, pause, telegramCalls, textUpdate } from "../helpers/telegram.ts";

interface PlatformTenant {
  id: string;
  slug: string;
  owner_email: string | null;
  blocked: boolean;
  dialogs: number;
  tokens_month: number;
  limits: Record<string, number | null>;
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const tenantPath = (id: string, tail = "") => `/api/v1/platform/tenants/${id}${tail}`;
const chatJsonDirect = (tenantId: string, message: string, lang = "en") =>
  callAppDirect(
    "POST",
    `/api/v1/tenants/${tenantId}/chat/message`,
    { user_id: visitor(), message },
    { headers: { "accept-language": lang } },
  );

/** A tenant signed up (owner unconfirmed: enough to be listed). */
async function signUp(name: string): Promise<{ tenantId: string; slug: string; email: string }> {
  const slug = uniqueName("t");
  const email = `${slug}@example.com`;
  const res = await callJson("POST", "/api/v1/tenants", { slug, name, email, password: GOOD_PASSWORD });
  expect(res.status).toBe(201);
  return { tenantId: ((await res.json()) as { id: string }).id, slug, email };
}

let p: Platform;
beforeAll(async () => {
  p = await seedPlatform();
});

describe("who may use /platform", () => {
  let target: Owner;
  beforeAll(async () => {
    target = await seedOwner();
  });
  const routes = (id: string): Array<[string, string, unknown?]> => [
    ["GET", "/api/v1/platform/me"],
    ["GET", "/api/v1/platform/tenants"],
    ["GET", tenantPath(id)],
    ["POST", tenantPath(id, "/block")],
    ["POST", tenantPath(id, "/unblock")],
    ["PUT", tenantPath(id, "/limits"), { chunks: 5 }],
    ["POST", tenantPath(id, "/tickets"), {}],
    ["GET", "/api/v1/platform/audit"],
  ];

  it("answers 401 without a token and with a bad one", async () => {
    for (const [method, path, body] of routes(target.tenantId)) {
      await expectError(await platformCall(p, method, path, body, null), 401, "unauthorized");
      await expectError(await platformCall(p, method, path, body, "not.a.jwt"), 401);
    }
  });

  it("refuses other tenants' owners and members, and unlisted users of the platform tenant", async () => {
    const member = await seedMember(target);
    const platformMember = await seedMember(p.operator);
    for (const token of [target.token, member.token, platformMember.token]) {
      for (const [method, path, body] of routes(target.tenantId)) {
        await expectError(await platformCall(p, method, path, body, token), 403, "forbidden");
      }
    }
    // Unchanged by the refused calls.
    const got = await platformCall(p, "GET", tenantPath(target.tenantId));
    expect(((await got.json()) as PlatformTenant).blocked).toBe(false);
  });

  it("refuses everyone when no operators are configured", async () => {
    const res = await callAppDirect("GET", "/api/v1/platform/me", undefined, {
      headers: bearer(p.operator.token),
    });
    await expectError(res, 403, "forbidden");
  });

  it("lets the operator in", async () => {
    const res = await platformCall(p, "GET", "/api/v1/platform/me");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ email: p.operator.email, platform_tenant_id: p.operator.tenantId });
  });
});

describe("tenant list", () => {
  it("searches by slug, name and owner e-mail, keyset-paginated newest first", async () => {
    const marker = uniqueName("mark");
    const a = await signUp(`${marker} A`);
    const b = await signUp(`${marker} B`);
    await withDb(({ db }) =>
      db.insert(usageDaily).values([
        {
          tenantId: a.tenantId,
          day: new Date().toISOString().slice(0, 10),
          dialogId: crypto.randomUUID(),
          promptTokens: 100,
          completionTokens: 20,
        },
        {
          tenantId: a.tenantId,
          day: "2000-01-01",
          dialogId: crypto.randomUUID(),
          promptTokens: 999,
          completionTokens: 1,
        },
      ]),
    );
    const bySlug = (await (
      await platformCall(p, "GET", `/api/v1/platform/tenants?q=${a.slug}`)
    ).json()) as Page<PlatformTenant>;
    expect(bySlug.items.map((t) => t.id)).toEqual([a.tenantId]);
    expect(bySlug.items[0]).toMatchObject({
      owner_email: a.email,
      blocked: false,
      dialogs: 0,
      tokens_month: 120,
    });
    const byEmail = (await (
      await platformCall(p, "GET", `/api/v1/platform/tenants?q=${encodeURIComponent(b.email.toUpperCase())}`)
    ).json()) as Page<PlatformTenant>;
    expect(byEmail.items.map((t) => t.id)).toEqual([b.tenantId]);

    const byName = `/api/v1/platform/tenants?limit=1&q=${encodeURIComponent(marker.toUpperCase())}`;
    const first = (await (await platformCall(p, "GET", byName)).json()) as Page<PlatformTenant>;
    expect(first.items).toHaveLength(1);
    expect(first.items[0]?.id).toBe(b.tenantId);
    expect(first.next_cursor).not.toBeNull();
    const second = (await (
      await platformCall(p, "GET", `${byName}&cursor=${first.next_cursor}`)
    ).json()) as Page<PlatformTenant>;
    expect(second.items[0]?.id).toBe(a.tenantId);
    expect(second.next_cursor).toBeNull();
    await expectError(await platformCall(p, "GET", "/api/v1/platform/tenants?cursor=bogus"), 422);
    await expectError(await platformCall(p, "GET", tenantPath(crypto.randomUUID())), 404);
    // Traversal in the tenant id, as an operator (the contract traversal suite has no operator).
    for (const bad of ["..%2F..%2Fetc%2Fpasswd", "..", "%00", "1%20or%201%3D1"]) {
      const res = await platformCall(p, "GET", `/api/v1/platform/tenants/${bad}`);
      expect([400, 404, 422]).toContain(res.status);
      expect(await res.text()).not.toMatch(/root:|"status":"ok"/);
    }
  });

  it("a tenant's own routes still see only that tenant", async () => {
    const other = await seedOwner();
    const res = await call(`/api/v1/tenants/${other.tenantId}/me/budget`, {
      headers: bearer(p.operator.token),
    });
    await expectError(res, 403, "forbidden");
  });
});

describe("the cross-tenant read path", () => {
  it("is one function under a role that reads only the listing's columns, and returns no secret", async () => {
    const grants = await withDb(async ({ db }) => {
      const r = await db.execute<{ g: string }>(sql`
        select table_name || '.' || column_name as g from information_schema.column_privileges
        where grantee = 'cip_platform' and privilege_type = 'SELECT' order by 1`);
      return r.rows.map((row) => row.g);
    });
    expect(grants).toEqual([
      "dialogs.tenant_id",
      "tenants.created_at",
      "tenants.id",
      "tenants.name",
      "tenants.settings",
      "tenants.slug",
      "usage_daily.completion_tokens",
      "usage_daily.day",
      "usage_daily.prompt_tokens",
      "usage_daily.tenant_id",
      "users.created_at",
      "users.email",
      "users.role",
      "users.tenant_id",
    ]);
    const target = await seedOwner();
    const secret = `sealed-${crypto.randomUUID()}`;
    await withDb(({ db }) =>
      db.execute(
        sql`update tenants set settings = ${JSON.stringify({ turnstile: { siteKey: "k", secretEncrypted: secret } })}::jsonb where id = ${target.tenantId}`,
      ),
    );
    const res = await platformCall(p, "GET", tenantPath(target.tenantId));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("turnstile");
  });
});

describe("block and unblock", () => {
  it("blocks: chat unavailable with no model call, Telegram dropped, sign-in 403; unblock restores", async () => {
    const target = await seedOwner({ locale: "en" });
    const bot = await connectBot(target);
    const blocked = await platformCall(p, "POST", tenantPath(target.tenantId, "/block"));
    expect(blocked.status).toBe(200);
    expect(((await blocked.json()) as PlatformTenant).blocked).toBe(true);

    const tag = await script({ reply: "Should never be said." });
    const refused = await chatJsonDirect(target.tenantId, `Hello ${tag}`);
    const text = await expectError(refused, 503, "tenant_unavailable");
    expect(text).toContain("not available right now");
    const ru = await chatJsonDirect(target.tenantId, `Привет ${tag}`, "ru");
    expect(await expectError(ru, 503, "tenant_unavailable")).toContain("недоступен");

    const chat = chatId();
    const hook = await deliver(target.tenantId, bot.secret, textUpdate(chat, `Hi ${tag}`));
    expect(hook.status).toBe(200);
    await pause(400);
    expect(await requestsFor(tag)).toHaveLength(0);
    expect(await telegramCalls(bot.token, "sendMessage")).toHaveLength(0);
    const claimed = await withDb(({ db }) =>
      db.select().from(telegramUpdates).where(eq(telegramUpdates.tenantId, target.tenantId)),
    );
    expect(claimed).toHaveLength(0);

    const login = await callJson("POST", `/api/v1/tenants/${target.tenantId}/login`, {
      email: target.email,
      password: GOOD_PASSWORD,
    });
    await expectError(login, 403, "tenant_blocked");

    const unblocked = await platformCall(p, "POST", tenantPath(target.tenantId, "/unblock"));
    expect(((await unblocked.json()) as PlatformTenant).blocked).toBe(false);
    const ok = await chatJsonDirect(target.tenantId, `Hello again ${tag}`);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(((await ok.json()) as { reply: string }).reply).toBe("Should never be said.");
    expect(await requestsFor(tag)).toHaveLength(1);
    const relogin = await callJson("POST", `/api/v1/tenants/${target.tenantId}/login`, {
      email: target.email,
      password: GOOD_PASSWORD,
    });
    expect(relogin.status).toBe(200);
    // The listing counts across tenants: the dialog the visitor just had is there.
    const listed = (await (
      await platformCall(p, "GET", tenantPath(target.tenantId))
    ).json()) as PlatformTenant;
    expect(listed.dialogs).toBe(1);
  });
});

describe("support sessions", () => {
  it("gives a read-only token: GET works, writes 403; the owner sees the session; audited", async () => {
    const target = await seedOwner();
    const res = await platformCall(p, "POST", tenantPath(target.tenantId, "/tickets"), {
      reason: "Customer asked for help with the prompt",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const ticket = (await res.json()) as { access_token: string; expires_in: number; slug: string };
    expect(ticket.slug).toBe(target.slug);
    expect(ticket.expires_in).toBeGreaterThan(29 * 60);
    expect(ticket.expires_in).toBeLessThanOrEqual(30 * 60);

    const read = await call(`/api/v1/tenants/${target.tenantId}/me/budget`, {
      headers: bearer(ticket.access_token),
    });
    expect(read.status).toBe(200);
    const write = await callJson(
      "PUT",
      `/api/v1/tenants/${target.tenantId}/me/budget`,
      { daily_tokens: 5 },
      bearer(ticket.access_token),
    );
    await expectError(write, 403, "read_only");
    const chunk = await callJson(
      "POST",
      `/api/v1/tenants/${target.tenantId}/me/prompt/chunks`,
      { question: "q", text: "t" },
      bearer(ticket.access_token),
    );
    await expectError(chunk, 403, "read_only");
    // Another tenant's cabinet: the token is not theirs.
    const elsewhere = await call(`/api/v1/tenants/${p.operator.tenantId}/me/budget`, {
      headers: bearer(ticket.access_token),
    });
    await expectError(elsewhere, 403, "forbidden");
    // Nor does it open the console.
    await expectError(
      await platformCall(p, "GET", "/api/v1/platform/me", undefined, ticket.access_token),
      403,
    );

    const sessions = await call(`/api/v1/tenants/${target.tenantId}/me/support-sessions`, {
      headers: bearer(target.token),
    });
    const list = (await sessions.json()) as { items: Array<Record<string, unknown>> };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      operator_email: p.operator.email,
      reason: "Customer asked for help with the prompt",
      active: true,
    });
    const member = await seedMember(target);
    await expectError(
      await call(`/api/v1/tenants/${target.tenantId}/me/support-sessions`, { headers: bearer(member.token) }),
      403,
    );
    await expectError(await call(`/api/v1/tenants/${target.tenantId}/me/support-sessions`), 401);
  });

  it("ends when its ticket expires", async () => {
    const target = await seedOwner();
    const past = new Date(Date.now() - 60_000);
    const [row] = await withDb(({ db }) =>
      db
        .insert(supportTickets)
        .values({ tenantId: target.tenantId, operatorEmail: p.operator.email, expiresAt: past })
        .returning({ id: supportTickets.id }),
    );
    const config = { jwtKey: new TextEncoder().encode(env.JWT_SECRET), expireMinutes: 60 };
    // A token that is itself still valid: only the ticket's end refuses it.
    const token = await issueTicketToken(config, {
      ticketId: row?.id ?? "",
      tenantId: target.tenantId,
      operatorId: p.operator.userId,
      expiresAtMs: Date.now() + 60_000,
    });
    const res = await call(`/api/v1/tenants/${target.tenantId}/me/budget`, {
      headers: bearer(token.access_token),
    });
    await expectError(res, 401, "unauthorized");
    // A token past its own expiry is refused too.
    const stale = await issueTicketToken(
      config,
      {
        ticketId: row?.id ?? "",
        tenantId: target.tenantId,
        operatorId: p.operator.userId,
        expiresAtMs: Date.now() - 1000,
      },
      Date.now() - 31 * 60_000,
    );
    await expectError(
      await call(`/api/v1/tenants/${target.tenantId}/me/budget`, { headers: bearer(stale.access_token) }),
      401,
    );
  });
});

describe("audit trail", () => {
  it("records who did what to which tenant, newest first", async () => {
    const target = await seedOwner();
    await platformCall(p, "POST", tenantPath(target.tenantId, "/block"));
    await platformCall(p, "POST", tenantPath(target.tenantId, "/unblock"));
    await platformCall(p, "PUT", tenantPath(target.tenantId, "/limits"), { galleries: 3 });
    await platformCall(p, "POST", tenantPath(target.tenantId, "/tickets"), {});
    const res = await platformCall(p, "GET", `/api/v1/platform/audit?tenant_id=${target.tenantId}`);
    const page = (await res.json()) as Page<{
      actor_email: string;
      action: string;
      target_tenant_id: string;
      details: Record<string, unknown>;
      created_at: string;
    }>;
    expect(page.items.map((e) => e.action)).toEqual([
      "ticket.open",
      "tenant.limits",
      "tenant.unblock",
      "tenant.block",
    ]);
    for (const e of page.items) {
      expect(e.actor_email).toBe(p.operator.email);
      expect(e.target_tenant_id).toBe(target.tenantId);
      expect(Date.parse(e.created_at)).not.toBeNaN();
    }
    expect(page.items[1]?.details).toMatchObject({ after: { galleries: 3, chunks: null } });
    // The target tenant cannot read the platform's trail through its own scope.
    const rows = await call(`/api/v1/tenants/${target.tenantId}/me/support-sessions`, {
      headers: bearer(target.token),
    });
    expect(((await rows.json()) as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe("a blocked tenant's live session", () => {
  it("cannot change the password (403, hash kept) nor run a setup-chat turn (403, no model call)", async () => {
    const target = await seedOwner({ locale: "en" });
    const blocked = await platformCall(p, "POST", tenantPath(target.tenantId, "/block"));
    expect(blocked.status).toBe(200);

    // Sign-in is refused: a token from before the block must not mint a fresh one either.
    const newPassword = "copper-meadow-77-lantern";
    const patch = await callJson(
      "PATCH",
      `/api/v1/tenants/${target.tenantId}/me/profile`,
      { current_password: target.password, new_password: newPassword },
      bearer(target.token),
    );
    await expectError(patch, 403, "tenant_blocked");

    const tag = await script({ reply: "Should never be said." });
    const chatBase = `/api/v1/tenants/${target.tenantId}/admin/chat`;
    const json = await callJson(
      "POST",
      `${chatBase}/message`,
      { message: `Hi ${tag}` },
      bearer(target.token),
    );
    await expectError(json, 403, "tenant_blocked");
    const sse = await callJson("POST", chatBase, { message: `Hi again ${tag}` }, bearer(target.token));
    await expectError(sse, 403, "tenant_blocked");
    await pause(200);
    expect(await requestsFor(tag)).toHaveLength(0);

    await platformCall(p, "POST", tenantPath(target.tenantId, "/unblock"));
    const login = (password: string) =>
      callJson("POST", `/api/v1/tenants/${target.tenantId}/login`, { email: target.email, password });
    expect((await login(target.password)).status).toBe(200);
    await expectError(await login(newPassword), 401, "invalid_credentials");
    const after = await callJson(
      "POST",
      `${chatBase}/message`,
      { message: `Back ${tag}` },
      bearer(target.token),
    );
    expect(after.status, await after.clone().text()).toBe(200);
    expect(await requestsFor(tag)).toHaveLength(1);
  });
});

describe("the platform tenant itself", () => {
  it("cannot be blocked (409), so the operators keep their console", async () => {
    const res = await platformCall(p, "POST", tenantPath(p.operator.tenantId, "/block"));
    const text = await expectError(res, 409, "conflict");
    expect(text).toContain("platform tenant");
    const got = await platformCall(p, "GET", tenantPath(p.operator.tenantId));
    expect(((await got.json()) as PlatformTenant).blocked).toBe(false);
    expect((await platformCall(p, "GET", "/api/v1/platform/me")).status).toBe(200);
    // Unblocking it (a no-op here) stays allowed.
    expect((await platformCall(p, "POST", tenantPath(p.operator.tenantId, "/unblock"))).status).toBe(200);
  });
});
