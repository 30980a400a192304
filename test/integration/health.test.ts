import { afterEach, describe, expect, it, vi } from "vitest";
import { callAppDirect } from "../helpers/accounts.ts";
import { call } from "../helpers/http.ts";

afterEach(() => vi.restoreAllMocks());

describe("GET /api/v1/health", () => {
  // First in the file: the warning is once per isolate, and no earlier test here ran without SMTP.
  it("without SMTP: `mail: console`, and one warning for the isolate, not one per request", async () => {
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
    const noSmtp = { overrides: { SMTP_HOST: undefined } };
    const first = await callAppDirect("GET", "/api/v1/health", undefined, noSmtp);
    const second = await callAppDirect("GET", "/api/v1/health", undefined, noSmtp);
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", mail: "console" });
    }
    const smtpWarnings = warnings.filter((w) => w.includes("SMTP is not configured"));
    expect(smtpWarnings).toHaveLength(1);
    expect(JSON.parse(smtpWarnings[0] ?? "{}")).toMatchObject({ level: "warn", mail: "console" });
  });

  it("answers ok after a real database round trip, and says mail goes over SMTP", async () => {
    const res = await call("/api/v1/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { status: string; db: { latencyMs: number }; mail: string };
    expect(body.status).toBe("ok");
    expect(body.db.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.mail).toBe("smtp");
  });

  it("carries a request id", async () => {
    const res = await call("/api/v1/health");
    expect(res.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });
});
