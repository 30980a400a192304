/** CORS of the public chat API (`chatCors()`), through a tiny app with the real middleware and errors. */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openUnscopedDatabase } from "../../src/db/client.ts";
import type { AppEnv } from "../../src/env.ts";
import { AppError } from "../../src/errors.ts";
import { chatCors } from "../../src/middleware/cors/index.ts";
import { onError, onNotFound } from "../../src/middleware/error-handler/index.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { callJson, readError } from "../helpers/http.ts";

const putSettings = (o: Owner, body: unknown) =>
  callJson("PUT", `/api/v1/tenants/${o.tenantId}/me/embed/settings`, body, bearer(o.token));

describe("chatCors()", () => {
  let owner: Owner;
  let handle: DbHandle;
  let dbCalls = 0;
  let handled = 0;

  /** A tiny app: the real middleware and error handling in front of a stand-in chat route. */
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("db", () => {
      dbCalls += 1;
      return handle.db;
    });
    await next();
  });
  app.use("/api/*", chatCors());
  app.post("/api/v1/tenants/:tenant_id/chat/message", (c) => {
    handled += 1;
    if (c.req.header("x-fail")) throw new AppError("validation_failed", "bad");
    return c.json({ reply: "hi" });
  });
  app.get("/api/v1/tenants/:tenant_id/me/embed", (c) => c.json({ ok: true }));
  app.onError(onError);
  app.notFound(onNotFound);

  const send = (path: string, headers: Record<string, string>, method = "POST") =>
    app.request(`http://cip.test${path}`, { method, headers }, env);
  const chat = () => `/api/v1/tenants/${owner.tenantId}/chat/message`;
  const preflight = (origin: string) =>
    send(
      chat(),
      { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      "OPTIONS",
    );

  beforeAll(async () => {
    owner = await seedOwner();
    handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    await putSettings(owner, { allowed_origins: ["https://shop.example"] });
    return () => handle.close();
  });

  it("costs no database round trip without an Origin or from the app's own origin", async () => {
    const before = dbCalls;
    const plain = await send(chat(), {});
    expect(plain.status).toBe(200);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    const self = await send(chat(), { origin: "http://cip.test" });
    expect(self.headers.get("access-control-allow-origin")).toBe("http://cip.test");
    expect(dbCalls).toBe(before);
  });

  it("answers a preflight from an allowed origin", async () => {
    const res = await preflight("https://shop.example");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets an allowed origin read answers, errors included", async () => {
    const ok = await send(chat(), { origin: "https://shop.example" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const failed = await send(chat(), { origin: "https://shop.example", "x-fail": "1" });
    expect(failed.status).toBe(422);
    expect(failed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
  });

  it("refuses other origins: preflight and request alike, without running the route", async () => {
    const before = handled;
    for (const res of [
      await preflight("https://evil.example"),
      await send(chat(), { origin: "https://evil.example" }),
      await send(chat(), { origin: "null" }),
      await send(chat(), { origin: "https://shop.example.evil.example" }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect((await readError(res)).error.code).toBe("forbidden");
    }
    expect(handled).toBe(before);
  });

  it("allows any origin while the list is empty (an open widget)", async () => {
    const open = await seedOwner();
    const path = `/api/v1/tenants/${open.tenantId}/chat/message`;
    for (const origin of ["https://anywhere.example", "null"]) {
      const res = await send(path, { origin });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    }
  });

  it("leaves routes other than the chat API alone", async () => {
    const before = dbCalls;
    const res = await send(
      `/api/v1/tenants/${owner.tenantId}/me/embed`,
      { origin: "https://evil.example" },
      "GET",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(dbCalls).toBe(before);
  });
});
