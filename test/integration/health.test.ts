import { describe, expect, it } from "vitest";
import { call } from "../helpers/http.ts";

describe("GET /api/v1/health", () => {
  it("answers ok after a real database round trip", async () => {
    const res = await call("/api/v1/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { status: string; db: { latencyMs: number } };
    expect(body.status).toBe("ok");
    expect(body.db.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("carries a request id", async () => {
    const res = await call("/api/v1/health");
    expect(res.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });
});
