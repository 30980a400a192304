/**
 * API keys (docs/api-clients.md): owners make, list and delete them; a `read` key opens exactly the
 * allow-listed GET routes of its tenant's data and nothing that manages members, keys, profile or
 * secrets; a `chat` key talks to a protected embed without a widget token; a deleted key is refused by
 * the very next request; a key never works on another tenant.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRETS, TEST_SITE_KEYS } from "../../scripts/lib/fake-turnstile.ts";
import { apiKeys } from "../../src/db/schema.ts";
import { API_KEY_ROUTES } from "../../src/lib/api-key-routes.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { bearer, expectError, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { loadDocument, operations } from "../helpers/openapi.ts";
import { readSse } from "../helpers/sse.ts";

const keysPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/api-keys`;
const me = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me`;

interface Created {
  id: string;
  name: string;
  key: string;
  prefix: string;
  scopes: string[];
  created_at: string;
}

async function createKey(o: Owner, scopes: string[], name = "server"): Promise<Created> {
  const res = await callJson("POST", keysPath(o), { name, scopes }, bearer(o.token));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
}

const protect = (o: Owner) =>
  callJson(
    "PUT",
    `${me(o)}/embed/settings`,
    { allowed_origins: ["https://shop.example"], protected_embed: true },
    bearer(o.token),
  );

describe("managing API keys", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("makes a key shown once, stores only its hash, and lists it without the key", async () => {
    const created = await createKey(owner, ["read", "chat"], "CRM sync");
    expect(created.key).toMatch(/^cip_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    expect(created.scopes).toEqual(["read", "chat"]);
    expect(created.name).toBe("CRM sync");

    const [row] = await withDb((h) => h.db.select().from(apiKeys).where(eq(apiKeys.id, created.id)));
    expect(row?.keyHash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const res = await call(keysPath(owner), { headers: bearer(owner.token) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(created.key);
    const { items } = JSON.parse(text) as { items: Array<Record<string, unknown>> };
    expect(items.find((k) => k.id === created.id)).toEqual({
      id: created.id,
      name: "CRM sync",
      prefix: created.prefix,
      scopes: ["read", "chat"],
      created_at: created.created_at,
      last_used_at: null,
    });
  });

  it("refuses bad input with 422", async () => {
    for (const body of [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["write"] },
      { name: "", scopes: ["read"] },
      { name: "n".repeat(101), scopes: ["read"] },
      { scopes: ["read"] },
    ]) {
      await expectError(await callJson("POST", keysPath(owner), body, bearer(owner.token)), 422);
    }
  });

  it("is for owners only, and for signed-in ones", async () => {
    const member = await seedMember(owner);
    const key = await createKey(owner, ["read"]);
    await expectError(
      await callJson("POST", keysPath(owner), { name: "m", scopes: ["read"] }, bearer(member.token)),
      403,
    );
    await expectError(await call(keysPath(owner), { headers: bearer(member.token) }), 403);
    await expectError(
      await call(`${keysPath(owner)}/${key.id}`, { method: "DELETE", headers: bearer(member.token) }),
      403,
    );
    await expectError(await call(keysPath(owner)), 401, "unauthorized");
    await expectError(await callJson("POST", keysPath(owner), { name: "n", scopes: ["read"] }), 401);
  });

  it("caps the keys a tenant holds", async () => {
    const o = await seedOwner();
    for (let i = 0; i < 20; i++) await createKey(o, ["read"], `k${i}`);
    await expectError(
      await callJson("POST", keysPath(o), { name: "one too many", scopes: ["read"] }, bearer(o.token)),
      409,
      "conflict",
    );
  });

  it("finds keys by hash through a function whose role can do nothing else", async () => {
    const facts = await withDb(async ({ db }) => {
      const role = await db.execute<Record<string, unknown>>(sql`
        select rolsuper, rolbypassrls, rolcanlogin,
               (select count(*)::int from pg_class c where c.relowner = r.oid) as relations,
               (select string_agg(p.proname, ',') from pg_proc p where p.proowner = r.oid) as functions
        from pg_roles r where rolname = 'cip_key_lookup'`);
      const definer = await db.execute<{ prosecdef: boolean }>(
        sql`select prosecdef from pg_proc where proname = 'cip_api_key_lookup'`,
      );
      return { role: role.rows[0], definer: definer.rows[0]?.prosecdef };
    });
    expect(facts).toEqual({
      role: {
        rolsuper: false,
        rolbypassrls: false,
        rolcanlogin: false,
        relations: 0,
        functions: "cip_api_key_lookup",
      },
      definer: true,
    });
  });
});

describe("a read key", () => {
  let owner: Owner;
  let key: string;
  let dialogId: string;
  let fileId: string;
  beforeAll(async () => {
    owner = await seedOwner();
    key = (await createKey(owner, ["read"])).key;
    const tag = await script({ reply: "Noted." });
    const res = await chatJson(owner.tenantId, {
      user_id: visitor(),
      message: `call me at x@example.com ${tag}`,
    });
    dialogId = ((await res.json()) as { dialog_id: string }).dialog_id;
    await storedMessages(dialogId, 2);
    const file = await call(`${me(owner)}/files?name=a.txt`, {
      method: "POST",
      headers: { "content-type": "text/plain", ...bearer(owner.token) },
      body: "hello",
    });
    fileId = ((await file.json()) as { id: string }).id;
  });

  it("reads every allow-listed GET route of the tenant's data", async () => {
    // CIP's MCP server (the one POST) is read by an MCP client in mcp-endpoint.test.ts.
    const paths = API_KEY_ROUTES.read
      .filter((route) => route.startsWith("GET "))
      .map((route) =>
        route
          .replace(/^GET /, "/api/v1")
          .replace("{tenant_id}", owner.tenantId)
          .replace("{dialog_id}", dialogId)
          .replace("{file_id}", fileId),
      );
    expect(paths.length).toBeGreaterThanOrEqual(9);
    for (const path of paths) {
      const res = await call(path, { headers: bearer(key) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      await res.body?.cancel();
    }
    const dialogs = (await (await call(`${me(owner)}/dialogs`, { headers: bearer(key) })).json()) as {
      items: Array<{ id: string }>;
    };
    expect(dialogs.items.map((d) => d.id)).toContain(dialogId);
  });

  it("is refused on members, keys, profile, secrets and every write", async () => {
    const refused: Array<[string, string, unknown?]> = [
      ["GET", `${me(owner)}/members`],
      ["GET", `${me(owner)}/profile`],
      ["PATCH", `${me(owner)}/profile`, { name: "key" }],
      ["GET", keysPath(owner)],
      ["POST", keysPath(owner), { name: "escalate", scopes: ["read", "chat"] }],
      ["DELETE", `${keysPath(owner)}/${crypto.randomUUID()}`],
      ["GET", `${me(owner)}/telegram`],
      ["PUT", `${me(owner)}/telegram`, { bot_token: "123456:abcdefghijklmnopqrstuvwxyz0123456789" }],
      ["GET", `${me(owner)}/embed`],
      ["PUT", `${me(owner)}/embed/settings`, { allowed_origins: [] }],
      ["GET", `${me(owner)}/budget`],
      ["POST", `${me(owner)}/prompt/chunks`, { question: "q", text: "t" }],
      ["DELETE", `${me(owner)}/files/${fileId}`],
      ["POST", `/api/v1/tenants/${owner.tenantId}/admin/chat/message`, { message: "hi" }],
      ["POST", `/api/v1/tenants/${owner.tenantId}/logout`],
    ];
    for (const [method, path, body] of refused) {
      const res =
        body === undefined
          ? await call(path, { method, headers: bearer(key) })
          : await callJson(method, path, body, bearer(key));
      await expectError(res, 403, "api_key_not_allowed");
    }
    // Nothing was changed on the way.
    const files = await call(`${me(owner)}/files/${fileId}`, { headers: bearer(owner.token) });
    expect(files.status).toBe(200);
  });

  it("is not a chat key", async () => {
    const res = await chatJson(owner.tenantId, { user_id: visitor(), message: "hi" }, bearer(key));
    await expectError(res, 403, "insufficient_scope");
  });

  it("records its last use at most once a minute", async () => {
    const o = await seedOwner();
    const k = await createKey(o, ["read"]);
    const lastUsed = async () =>
      (await withDb((h) => h.db.select().from(apiKeys).where(eq(apiKeys.id, k.id))))[0]?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    expect((await call(`${me(o)}/leads`, { headers: bearer(k.key) })).status).toBe(200);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expect((await call(`${me(o)}/leads`, { headers: bearer(k.key) })).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
    const listed = (await (await call(keysPath(o), { headers: bearer(o.token) })).json()) as {
      items: Array<{ last_used_at: string | null }>;
    };
    expect(listed.items[0]?.last_used_at).toBe(first?.toISOString());
  });
});

describe("a chat key on a protected embed", () => {
  let owner: Owner;
  let chatKey: string;
  beforeAll(async () => {
    owner = await seedOwner();
    expect((await protect(owner)).status).toBe(200);
    chatKey = (await createKey(owner, ["chat"])).key;
  });

  it("chats without a widget token, where an anonymous caller is refused", async () => {
    const user = visitor();
    await expectError(
      await chatJson(owner.tenantId, { user_id: user, message: "hi" }),
      401,
      "widget_token_required",
    );

    const tag = await script({ reply: "Hello from the server side." });
    const res = await chatJson(owner.tenantId, { user_id: user, message: `hi ${tag}` }, bearer(chatKey));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { reply: string; dialog_id: string };
    expect(body.reply).toBe("Hello from the server side.");

    const tag2 = await script({ reply: "Streaming too." });
    const events = await readSse(
      await chat(
        owner.tenantId,
        { user_id: user, dialog_id: body.dialog_id, message: `more ${tag2}` },
        bearer(chatKey),
      ),
    );
    expect(events.at(-1)?.event).toBe("done");

    const resume = await call(
      `/api/v1/tenants/${owner.tenantId}/chat/${body.dialog_id}/stream?user_id=${encodeURIComponent(user)}`,
      { headers: bearer(chatKey) },
    );
    expect(resume.status).toBe(200);
    await resume.body?.cancel();
    const stop = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/chat/${body.dialog_id}/stop`,
      { user_id: user },
      bearer(chatKey),
    );
    expect(stop.status).toBe(200);
    const anonymousStop = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/chat/${body.dialog_id}/stop`,
      {
        user_id: user,
      },
    );
    await expectError(anonymousStop, 401, "widget_token_required");
  });

  it("needs no Turnstile token to start a dialog either (a server cannot solve a human check)", async () => {
    const o = await seedOwner();
    const put = await callJson(
      "PUT",
      `${me(o)}/embed/settings`,
      {
        allowed_origins: [],
        protected_embed: true,
        turnstile: { site_key: TEST_SITE_KEYS.pass, secret: TEST_SECRETS.pass },
      },
      bearer(o.token),
    );
    expect(put.status, await put.clone().text()).toBe(200);
    const k = (await createKey(o, ["chat"])).key;
    await expectError(
      await chatJson(o.tenantId, { user_id: visitor(), message: "hi", turnstile_token: "x" }),
      401,
      "widget_token_required",
    );
    const tag = await script({ reply: "No captcha for servers." });
    const res = await chatJson(o.tenantId, { user_id: visitor(), message: `hi ${tag}` }, bearer(k));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { reply: string }).reply).toBe("No captcha for servers.");
  });

  it("reads nothing", async () => {
    await expectError(
      await call(`${me(owner)}/dialogs`, { headers: bearer(chatKey) }),
      403,
      "insufficient_scope",
    );
  });

  it("is refused on the visitor routes it does not open (the widget token itself)", async () => {
    const res = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/chat/widget-token`,
      { user_id: visitor() },
      bearer(chatKey),
    );
    await expectError(res, 403, "api_key_not_allowed");
  });
});

describe("the OpenAPI document", () => {
  it("marks exactly the allow-listed operations with the API-key scheme and their scope", async () => {
    const doc = await loadDocument();
    const marked = operations(doc)
      .filter((op) => (op.security ?? []).some((s) => "apiKey" in s))
      .map((op) => `${op.method} ${op.path.replace(/^\/api\/v1/, "")} ${JSON.stringify(op.security)}`)
      .sort();
    const listed = (["read", "chat"] as const)
      .flatMap((scope) =>
        API_KEY_ROUTES[scope].map(
          (route) =>
            `${route} ${JSON.stringify(scope === "read" ? [{ bearer: [] }, { apiKey: ["read"] }] : [{}, { apiKey: ["chat"] }])}`,
        ),
      )
      .sort();
    expect(marked).toEqual(listed);
  });
});

describe("keys that must not work", () => {
  let a: Owner;
  let b: Owner;
  beforeAll(async () => {
    [a, b] = await Promise.all([seedOwner(), seedOwner()]);
  });

  it("a deleted key is refused by the next request", async () => {
    const k = await createKey(a, ["read", "chat"]);
    expect((await call(`${me(a)}/dialogs`, { headers: bearer(k.key) })).status).toBe(200);
    const del = await call(`${keysPath(a)}/${k.id}`, { method: "DELETE", headers: bearer(a.token) });
    expect(del.status).toBe(204);
    await expectError(await call(`${me(a)}/dialogs`, { headers: bearer(k.key) }), 401, "invalid_api_key");
    await expectError(
      await chatJson(a.tenantId, { user_id: visitor(), message: "hi" }, bearer(k.key)),
      401,
      "invalid_api_key",
    );
    await expectError(
      await call(`${keysPath(a)}/${k.id}`, { method: "DELETE", headers: bearer(a.token) }),
      404,
    );
  });

  it("a key of one tenant is refused on another's routes, and cannot delete its keys", async () => {
    const ka = await createKey(a, ["read", "chat"]);
    const kb = await createKey(b, ["read"]);
    await expectError(await call(`${me(b)}/dialogs`, { headers: bearer(ka.key) }), 403, "forbidden");
    await expectError(await call(`${me(b)}/leads/export`, { headers: bearer(ka.key) }), 403, "forbidden");
    await expectError(
      await chatJson(b.tenantId, { user_id: visitor(), message: "hi" }, bearer(ka.key)),
      403,
      "forbidden",
    );
    // A's owner cannot reach B's key either.
    await expectError(
      await call(`${keysPath(b)}/${kb.id}`, { method: "DELETE", headers: bearer(a.token) }),
      403,
    );
    await expectError(
      await call(`${keysPath(a)}/${kb.id}`, { method: "DELETE", headers: bearer(a.token) }),
      404,
    );
    expect((await call(`${me(b)}/dialogs`, { headers: bearer(kb.key) })).status).toBe(200);
  });

  it("unknown, malformed and truncated keys are 401", async () => {
    const k = await createKey(a, ["read"]);
    for (const token of [`cip_${"A".repeat(43)}`, "cip_short", k.key.slice(0, -1), `${k.key}x`]) {
      await expectError(await call(`${me(a)}/dialogs`, { headers: bearer(token) }), 401, "invalid_api_key");
    }
  });
});
