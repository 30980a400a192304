/**
 * The OpenAPI document against the app that serves it: every /api/v1 route is documented (parameters,
 * body, a 2xx answer and the errors the shared layers give it), every documented operation is served,
 * the bearer routes say so, and the interactive reference at /api/docs works without any CDN.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app.ts";
import { type Owner, seedOwner } from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";
import { deref, isBearer, loadDocument, type Operation, operations, toHonoPath } from "../helpers/openapi.ts";

const doc = await loadDocument();
const ops = operations(doc);
const opIds = ops.map((op) => [op.id, op] as const);
const OPENAPI = "/api/v1/openapi.json";

/** Write operations that take no body, and why. */
const NO_BODY: Record<string, string> = {
  "POST /api/v1/tenants/{tenant_id}/logout": "ends the caller's sessions; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/dialogs/{dialog_id}/takeover":
    "the dialog is in the path and the operator is the caller; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/telegram/webhook":
    "a Telegram Update, read raw only after the secret header matched (see its description)",
  "POST /api/v1/tenants/{tenant_id}/me/chunks/history/{revision_id}/restore":
    "the revision in the path is the whole request",
  "POST /api/v1/tenants/{tenant_id}/me/prompt/base/history/{revision_id}/restore":
    "the revision in the path is the whole request",
  "POST /api/v1/tenants/{tenant_id}/me/telegram/webhook": "re-registers the connected bot; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/prompt/publish": "publishes the draft as it stands; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/prompt/discard": "drops the draft; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/mail/failures/{delivery_id}/retry":
    "the delivery in the path is the whole request",
  "POST /api/v1/tenants/{tenant_id}/me/telegram/owner-link": "a link code for the caller; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/webhooks/{webhook_id}/test":
    "the hook in the path gets a fixed ping event; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/mcp-servers/{server_id}/refresh":
    "the server in the path is listed again; nothing to send",
  "POST /api/v1/tenants/{tenant_id}/me/documents/{document_id}/publish":
    "indexes the draft in the path as extracted; nothing to send",
  "POST /api/v1/platform/tenants/{id}/block": "the tenant in the path is the whole request",
  "POST /api/v1/platform/tenants/{id}/unblock": "the tenant in the path is the whole request",
};
/** Operations that answer 401 to a missing credential other than a bearer token. */
const OTHER_CREDENTIAL: Record<string, string> = {
  "POST /api/v1/tenants/{tenant_id}/telegram/webhook": "X-Telegram-Bot-Api-Secret-Token",
};

/** Every handler the app registered under /api/v1, as "METHOD /path" (Hono spelling). */
function servedRoutes(): Set<string> {
  const served = new Set<string>();
  for (const r of app.routes) {
    if (["ALL", "OPTIONS", "HEAD"].includes(r.method) || !r.path.startsWith("/api/v1/") || r.path === OPENAPI)
      continue;
    served.add(`${r.method} ${r.path}`);
  }
  return served;
}

describe("the OpenAPI document covers the app", () => {
  it("is OpenAPI 3.1 and lists the operations", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(ops.length).toBeGreaterThan(40);
  });

  it("documents every /api/v1 route the app serves", () => {
    const documented = new Set(ops.map((op) => `${op.method} ${toHonoPath(op.path)}`));
    expect([...servedRoutes()].filter((r) => !documented.has(r))).toEqual([]);
  });

  it("serves every documented operation", () => {
    const served = servedRoutes();
    expect(ops.map((op) => `${op.method} ${toHonoPath(op.path)}`).filter((r) => !served.has(r))).toEqual([]);
  });

  it.each(opIds)("%s: parameters, body and responses are documented", (_id, op) => {
    const problems: string[] = [];
    const statuses = Object.keys(op.responses);
    for (const name of op.path.match(/\{([^}]+)\}/g)?.map((m) => m.slice(1, -1)) ?? []) {
      const p = op.parameters.find((x) => x.in === "path" && x.name === name);
      if (!p?.required || !p.schema) problems.push(`path parameter ${name} is not documented with a schema`);
    }
    for (const p of op.parameters) if (!p.schema) problems.push(`${p.in} parameter ${p.name} has no schema`);
    const writes = ["POST", "PUT", "PATCH"].includes(op.method);
    if (writes && !op.requestBody && !NO_BODY[op.id]) problems.push("takes no documented body");
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
      if (!media.schema) problems.push(`request body ${type} has no schema`);
    }
    if (!statuses.some((s) => s.startsWith("2"))) problems.push("no 2xx answer");
    for (const s of statuses.filter((x) => /^[45]/.test(x))) {
      const schema = op.responses[s]?.content?.["application/json"]?.schema;
      if (schema?.$ref !== "#/components/schemas/Error") problems.push(`${s} is not the error envelope`);
    }
    const need = (why: string, ...codes: string[]) => {
      for (const code of codes)
        if (!statuses.includes(code)) problems.push(`${why} but ${code} is not documented`);
    };
    if (op.requestBody?.content["application/json"]) need("takes JSON", "400", "413", "415", "422");
    if (op.parameters.length) need("has validated parameters", "422");
    if (isBearer(op)) need("needs a bearer token", "401", "403", "404");
    expect(problems).toEqual([]);
  });

  it("names every error schema it uses", () => {
    expect(deref(doc, { $ref: "#/components/schemas/Error" }).required).toEqual(["error"]);
  });
});

describe("bearer security is documented where it is enforced", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  /** A request with no credentials, a real tenant and random ids elsewhere. */
  function anonymous(op: Operation): Promise<Response> {
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
      name === "tenant_id" ? owner.tenantId : name === "slug" ? owner.slug : crypto.randomUUID(),
    );
    return op.method === "GET" || op.method === "DELETE"
      ? call(path, { method: op.method })
      : callJson(op.method, path, {});
  }

  it.each(opIds)("%s", async (_id, op) => {
    const res = await anonymous(op);
    await res.body?.cancel();
    if (isBearer(op)) expect(res.status, "a bearer route without a token").toBe(401);
    else if (res.status === 401)
      expect(OTHER_CREDENTIAL[op.id], "401 without a token, no bearer").toBeDefined();
  });
});

describe("the interactive reference at /api/docs", () => {
  it("is an HTML page that loads the document with its own script and styles", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain(OPENAPI);
    expect(html).toContain('<script src="/api/docs/docs.js"');
    expect(html).toContain('href="/api/docs/docs.css"');
  });

  it("needs nothing from another origin", async () => {
    const parts = await Promise.all(
      ["/api/docs", "/api/docs/docs.js", "/api/docs/docs.css"].map(async (path) => {
        const res = await call(path);
        expect(res.status, path).toBe(200);
        return res.text();
      }),
    );
    for (const text of parts) expect(text).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const script = parts[1] ?? "";
    expect(script).toContain("data-spec");
    expect(script).toMatch(/fetch\(spec\)/);
    expect(script).toMatch(/Try it/);
  });

  it("serves the document it points at", async () => {
    const res = await call(OPENAPI);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});
