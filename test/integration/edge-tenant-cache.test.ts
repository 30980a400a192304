/**
 * The chat's edge reads tenant settings from its isolate cache or the TenantObject, never Postgres: the
 * chat API's CORS (preflights included) and unknown tenant ids, which are remembered briefly. The app runs
 * here with a database that cannot be reached (any Postgres read fails the request with 503) and a
 * TENANTS namespace that counts the objects it is asked for.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app.ts";
import type { Bindings } from "../../src/env.ts";
import { bearer, seedOwner } from "../helpers/accounts.ts";
import { BASE, callJson } from "../helpers/http.ts";

/** The test bindings without a reachable database, and a count of tenant objects asked per id. */
function edgeOnlyEnv(): { env: Bindings; asked: Map<string, number> } {
  const asked = new Map<string, number>();
  const tenants = new Proxy(env.TENANTS, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== "getByName" || typeof value !== "function") return value;
      return (name: string) => {
        asked.set(name, (asked.get(name) ?? 0) + 1);
        return target.getByName(name);
      };
    },
  });
  const bindings = {
    ...env,
    HYPERDRIVE: { connectionString: "postgres://nobody:nothing@127.0.0.1:1/none" } as Hyperdrive,
    DATABASE_URL: undefined,
    TENANTS: tenants,
  } as Bindings;
  return { env: bindings, asked };
}

async function send(bindings: Bindings, path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", `203.0.113.${Math.floor(Math.random() * 250) + 1}`);
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, { ...init, headers }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const preflight = (bindings: Bindings, tenantId: string, origin: string) =>
  send(bindings, `/api/v1/tenants/${tenantId}/chat/message`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });

const message = (bindings: Bindings, tenantId: string, origin: string) =>
  send(bindings, `/api/v1/tenants/${tenantId}/chat/message`, {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({ user_id: "v-edge", message: "hello" }),
  });

describe("the chat edge's tenant settings", () => {
  it("answers repeated cross-origin preflights without Postgres, one tenant object call at most", async () => {
    const owner = await seedOwner();
    const put = await callJson(
      "PUT",
      `/api/v1/tenants/${owner.tenantId}/me/embed/settings`,
      { allowed_origins: ["https://shop.example"] },
      bearer(owner.token),
    );
    expect(put.status).toBe(200);
    const { env: bindings, asked } = edgeOnlyEnv();
    for (let i = 0; i < 5; i++) {
      const ok = await preflight(bindings, owner.tenantId, "https://shop.example");
      expect(ok.status).toBe(204);
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example");
      const refused = await preflight(bindings, owner.tenantId, "https://evil.example");
      expect(refused.status).toBe(403);
    }
    expect(asked.get(owner.tenantId) ?? 0).toBeLessThanOrEqual(1);
  });

  it("remembers an unknown tenant: repeated requests and preflights are 404s without Postgres", async () => {
    const unknown = crypto.randomUUID();
    const { env: bindings, asked } = edgeOnlyEnv();
    for (let i = 0; i < 5; i++) {
      const pre = await preflight(bindings, unknown, "https://anywhere.example");
      expect(pre.status).toBe(204);
      const res = await message(bindings, unknown, "https://anywhere.example");
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("tenant_not_found");
      expect(res.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
    }
    expect(asked.get(unknown)).toBe(1);
  });
});
