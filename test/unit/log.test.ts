import { afterEach, describe, expect, it, vi } from "vitest";
import { currentLogContext, log, withLogContext } from "../../src/lib/log.ts";

function lines(spy: { mock: { calls: unknown[][] } }): Array<Record<string, unknown>> {
  return spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
}

describe("log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line and scrubs secrets from it", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    log("error", "request failed", { error: "connect postgres://u:pw123@h/db failed", requestId: "r1" });
    expect(spy).toHaveBeenCalledTimes(1);
    const line = String(spy.mock.calls[0]?.[0]);
    expect(line).not.toContain("pw123");
    expect(JSON.parse(line)).toMatchObject({ level: "error", message: "request failed", requestId: "r1" });
  });

  it("outside any context a line has no request id", () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    log("info", "boot");
    expect(lines(spy)).toEqual([{ level: "info", message: "boot" }]);
    expect(currentLogContext()).toEqual({});
  });

  it("every line inside a context carries its request id, across awaits and timers", async () => {
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    let later: Promise<void> = Promise.resolve();
    await withLogContext({ requestId: "req-1" }, async () => {
      log("warn", "first", { tenantId: "t" });
      await new Promise((r) => setTimeout(r, 1));
      log("warn", "after an await");
      // Work left running after the unit returns (waitUntil) keeps the id too.
      later = new Promise<void>((r) =>
        setTimeout(() => {
          log("warn", "left behind");
          r();
        }, 5),
      );
    });
    log("warn", "outside");
    await later;
    expect(lines(spy)).toEqual([
      { level: "warn", message: "first", requestId: "req-1", tenantId: "t" },
      { level: "warn", message: "after an await", requestId: "req-1" },
      { level: "warn", message: "outside" },
      { level: "warn", message: "left behind", requestId: "req-1" },
    ]);
  });

  it("concurrent units keep their own ids; a field the caller passes wins", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const unit = (id: string, wait: number) =>
      withLogContext({ requestId: id }, async () => {
        await new Promise((r) => setTimeout(r, wait));
        log("info", "done", { unit: id });
        expect(currentLogContext()).toEqual({ requestId: id });
      });
    await Promise.all([unit("a", 6), unit("b", 1)]);
    withLogContext({ requestId: "ctx" }, () => log("info", "explicit", { requestId: "given" }));
    expect(lines(spy)).toEqual([
      { level: "info", message: "done", requestId: "b", unit: "b" },
      { level: "info", message: "done", requestId: "a", unit: "a" },
      { level: "info", message: "explicit", requestId: "given" },
    ]);
  });
});
