import { createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../src/app.ts";
import type { AppEnv } from "../../src/env.ts";
import { AppError } from "../../src/errors.ts";
import { onError, onNotFound } from "../../src/middleware/error-handler/index.ts";
import { jsonBodyLimit } from "../../src/middleware/json-body-limit/index.ts";
import { createRouter } from "../../src/routes/router.ts";
import { call, callJson, readError } from "../helpers/http.ts";

/** A tiny app wired with the real error handling, to reach failure kinds no public route has yet. */
function probeApp() {
  const app = createRouter();
  app.use("*", jsonBodyLimit(1024));
  const echo = createRoute({
    method: "post",
    path: "/echo",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z.object({ name: z.string().min(1).max(10), age: z.number().int() }),
          },
        },
      },
    },
    responses: { 200: { description: "ok" } },
  });
  app.openapi(echo, (c) => c.json(c.req.valid("json"), 200));
  app.get("/boom", () => {
    throw new Error("secret internals: password=hunter2");
  });
  app.get("/limited", () => {
    throw new AppError("rate_limited", "Slow down.", { retryAfter: 7 });
  });
  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
const probe = (path: string, init?: RequestInit) =>
  probeApp().fetch(new Request(`http://probe${path}`, init), {} as AppEnv["Bindings"], ctx);
const post = (body: string, type = "application/json") =>
  probe("/echo", { method: "POST", headers: { "content-type": type }, body });

describe("the JSON error envelope", () => {
  it("unknown API route -> 404 not_found", async () => {
    const res = await call("/api/v1/does-not-exist");
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("not_found");
  });

  it("wrong method on a known path -> 404 in the envelope", async () => {
    const res = await callJson("DELETE", "/api/v1/health", {});
    expect(res.status).toBe(404);
    await readError(res);
  });

  it("malformed JSON -> 400 invalid_json", async () => {
    const res = await post('{"name": "a",');
    expect(res.status).toBe(400);
    expect((await readError(res)).error.code).toBe("invalid_json");
  });

  it("zod failure -> 422 with field details", async () => {
    const res = await post(JSON.stringify({ name: "", age: "x" }));
    expect(res.status).toBe(422);
    const body = await readError(res);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.issues?.map((i) => i.path).sort()).toEqual(["age", "name"]);
  });

  it.each([
    ["a JSON array", "[]"],
    ["null", "null"],
    ["a huge string", JSON.stringify({ name: "x".repeat(900), age: 1 })],
    ["wrong types", JSON.stringify({ name: 5, age: 1.5 })],
  ])("%s -> 4xx, never 500", async (_label, body) => {
    const res = await post(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await readError(res);
  });

  it("a body over the limit -> 413 payload_too_large", async () => {
    const res = await post(JSON.stringify({ name: "x".repeat(2000), age: 1 }));
    expect(res.status).toBe(413);
    expect((await readError(res)).error.code).toBe("payload_too_large");
  });

  it("the real app caps JSON bodies too", async () => {
    const res = await callJson("POST", "/api/v1/health", "x".repeat(MAX_JSON_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect((await readError(res)).error.code).toBe("payload_too_large");
  });

  it("an unexpected exception -> 500 internal_error without internals", async () => {
    const res = await probe("/boom");
    expect(res.status).toBe(500);
    const text = await res.clone().text();
    expect(text).not.toContain("hunter2");
    expect((await readError(res)).error.code).toBe("internal_error");
  });

  it("rate limits carry Retry-After", async () => {
    const res = await probe("/limited");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
  });

  it("valid input passes through", async () => {
    const res = await post(JSON.stringify({ name: "Ann", age: 3 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "Ann", age: 3 });
  });
});

describe("OpenAPI document", () => {
  it("is served and names the routes", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/health", "/api/v1/tenants/by-slug/{slug}"]),
    );
  });
});
