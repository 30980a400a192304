/**
 * The dev-only demo login (GET /api/v1/dev/demo-login): the API's plain 404 unless `npm run dev` set
 * DEV_DEMO_LOGIN=1 with the demo owner's sign-in, and then only for a request to a loopback host; the
 * flag is never part of the deployed configuration.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app.ts";
import type { Bindings } from "../../src/env.ts";
import wranglerToml from "../../wrangler.toml?raw";
import { call, readError } from "../helpers/http.ts";

const DEV = {
  DEV_DEMO_LOGIN: "1",
  DEV_DEMO_EMAIL: "demo-owner@cip.local",
  DEV_DEMO_PASSWORD: "pw-123456789",
};

async function direct(url: string, overrides: Partial<Record<keyof Bindings, string | undefined>>) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("dev demo login", () => {
  it("is a 404 without DEV_DEMO_LOGIN (the test and deployed configuration)", async () => {
    const res = await call("/api/v1/dev/demo-login");
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("not_found");
    const local = await direct("http://127.0.0.1:8787/api/v1/dev/demo-login", {});
    expect(local.status).toBe(404);
    expect(wranglerToml).not.toContain("DEV_DEMO");
  });

  it("is a 404 with the flag but an incomplete sign-in or another value", async () => {
    const url = "http://localhost:8787/api/v1/dev/demo-login";
    expect((await direct(url, { ...DEV, DEV_DEMO_LOGIN: "true" })).status).toBe(404);
    expect((await direct(url, { ...DEV, DEV_DEMO_PASSWORD: "" })).status).toBe(404);
    expect((await direct(url, { ...DEV, DEV_DEMO_EMAIL: undefined })).status).toBe(404);
  });

  it("is a 404 for a host that is not loopback, even with the flag", async () => {
    for (const host of ["http://cip.test", "https://cip.example.com", "http://10.0.0.5:8787"]) {
      const res = await direct(`${host}/api/v1/dev/demo-login`, DEV);
      expect(res.status, host).toBe(404);
      expect(await res.text()).not.toContain(DEV.DEV_DEMO_PASSWORD);
    }
  });

  it("answers the demo owner's sign-in on a loopback host under npm run dev", async () => {
    for (const host of ["http://127.0.0.1:8787", "http://localhost:9000", "http://[::1]:8787"]) {
      const res = await direct(`${host}/api/v1/dev/demo-login`, DEV);
      expect(res.status, host).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({
        tenant_id: "00000000-0000-4000-8000-000000000001",
        slug: "demo",
        email: DEV.DEV_DEMO_EMAIL,
        password: DEV.DEV_DEMO_PASSWORD,
      });
    }
  });
});
