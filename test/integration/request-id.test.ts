import { afterEach, describe, expect, it, vi } from "vitest";
import { chat, DEMO, visitor } from "../helpers/chat.ts";
import { call } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { readSse } from "../helpers/sse.ts";

afterEach(() => vi.restoreAllMocks());

/** Captures every structured log line (all levels) written from now on. */
function captureLogs(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const record = (line: unknown) => {
    try {
      lines.push(JSON.parse(String(line)) as Record<string, unknown>);
    } catch {
      // Not one of ours (the runtime's own output).
    }
  };
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(record);
  return lines;
}

describe("request ids", () => {
  it("every answer carries X-Request-Id: Cloudflare's ray id when there is one, else a fresh id", async () => {
    const ray = `${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}-AMS`;
    const health = await call("/api/v1/health", { headers: { "cf-ray": ray } });
    expect(health.status).toBe(200);
    expect(health.headers.get("x-request-id")).toBe(ray);
    const missing = await call("/api/v1/no-such-route");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a chat turn's stream carries the id, and the dialog object's log lines for that turn carry it too", async () => {
    const lines = captureLogs();
    // The model refuses the request: the dialog object logs the failed turn.
    const tag = await script({ status: 401 });
    const requestId = `turn-${crypto.randomUUID()}`;
    const res = await chat(DEMO, { user_id: visitor(), message: tag }, { "x-request-id": requestId });
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const events = await readSse(res);
    expect(events.at(-1)).toMatchObject({ event: "error", data: { code: "upstream_error" } });
    const failed = lines.filter((l) => l.message === "model turn failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: "warn", requestId, code: "upstream_error" });
    // Nothing this turn logged is without it.
    const ofTurn = lines.filter((l) => l.message === "model answered with an error");
    expect(ofTurn.length).toBeGreaterThan(0);
    for (const line of ofTurn) expect(line.requestId).toBe(requestId);
  });
});
