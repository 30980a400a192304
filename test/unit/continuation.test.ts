import { describe, expect, it } from "vitest";
import { type ContinuationPolicy, dialogToContinue, mayContinue } from "../../src/chat/continuation.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const keep: ContinuationPolicy = { policy: "keep", hours: null };
const reset2h: ContinuationPolicy = { policy: "reset_after_hours", hours: 2 };
const reload: ContinuationPolicy = { policy: "new_on_reload", hours: null };
const latest = (idleMs: number) => ({ dialogId: "d-1", lastActivity: NOW - idleMs });

describe("which dialog a message without dialog_id continues", () => {
  it("keep: the latest dialog, however old; none when the visitor has none", () => {
    expect(dialogToContinue(keep, latest(400 * 24 * HOUR), NOW)).toBe("d-1");
    expect(dialogToContinue(keep, null, NOW)).toBeNull();
  });

  it("reset_after_hours: the latest dialog up to the idle time, a new one after it", () => {
    expect(dialogToContinue(reset2h, latest(0), NOW)).toBe("d-1");
    expect(dialogToContinue(reset2h, latest(2 * HOUR), NOW)).toBe("d-1");
    expect(dialogToContinue(reset2h, latest(2 * HOUR + 1), NOW)).toBeNull();
    // The clock moves on and the same dialog expires.
    const entry = latest(HOUR);
    expect(dialogToContinue(reset2h, entry, NOW)).toBe("d-1");
    expect(dialogToContinue(reset2h, entry, NOW + HOUR + 1)).toBeNull();
  });

  it("reset_after_hours without hours behaves as keep", () => {
    expect(dialogToContinue({ policy: "reset_after_hours", hours: null }, latest(99 * HOUR), NOW)).toBe(
      "d-1",
    );
  });

  it("new_on_reload: an API client has no page load, so every such message starts a new dialog", () => {
    expect(mayContinue(reload, false)).toBe(false);
    expect(dialogToContinue(reload, latest(0), NOW)).toBeNull();
  });

  it("new_dialog: true starts a new dialog under any policy", () => {
    for (const policy of [keep, reset2h, reload]) {
      expect(mayContinue(policy, true)).toBe(false);
      expect(dialogToContinue(policy, latest(0), NOW, true)).toBeNull();
    }
    expect(mayContinue(keep, false)).toBe(true);
    expect(mayContinue(reset2h, false)).toBe(true);
  });
});
