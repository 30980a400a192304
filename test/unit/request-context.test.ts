import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/env.ts";
import { log } from "../../src/lib/log.ts";
import { requestContext } from "../../src/middleware/request-id/index.ts";

/** A small app with the request-id middleware: one JSON route that logs, one that builds its Response. */
function testApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext());
  app.get("/json", async (c) => {
    log("info", "handling");
    await new Promise((r) => setTimeout(r, 1));
    log("info", "still handling");
    return c.json({ ok: true });
  });
  app.get("/raw", () => new Response("raw body", { headers: { "content-type": "text/plain" } }));
  return app;
}

function logged(spy: { mock: { calls: unknown[][] } }): Array<Record<string, unknown>> {
  return spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
}

describe("request id middleware", () => {
  afterEach(() => vi.restoreAllMocks());

  it("names the request by cf-ray, echoes it, and every line logged while handling it carries it", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await testApp().request("/json", { headers: { "cf-ray": "8f1e2d3c4b5a6978-AMS" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("8f1e2d3c4b5a6978-AMS");
    expect(logged(spy)).toEqual([
      { level: "info", message: "handling", requestId: "8f1e2d3c4b5a6978-AMS" },
      { level: "info", message: "still handling", requestId: "8f1e2d3c4b5a6978-AMS" },
    ]);
  });

  it("keeps a sane client id, replaces an unsafe one, and makes one up without cf-ray", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const app = testApp();
    const kept = await app.request("/json", { headers: { "x-request-id": "client-42" } });
    expect(kept.headers.get("x-request-id")).toBe("client-42");
    const unsafe = await app.request("/json", { headers: { "x-request-id": "a b;c" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const first = await app.request("/json");
    const second = await app.request("/json");
    expect(first.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
  });

  it("a Response the handler built itself carries the header too", async () => {
    const res = await testApp().request("/raw", { headers: { "cf-ray": "raw-ray" } });
    expect(await res.text()).toBe("raw body");
    expect(res.headers.get("x-request-id")).toBe("raw-ray");
  });
});
