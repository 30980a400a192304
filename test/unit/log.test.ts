import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "../../src/lib/log.ts";

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
});
