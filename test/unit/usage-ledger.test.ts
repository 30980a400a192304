import { describe, expect, it } from "vitest";
import {
  capsOf,
  hasTokenCaps,
  refusal,
  secondsToNextDay,
  secondsToNextMonth,
  utcDay,
} from "../../src/chat/budget-rules.ts";
import {
  PENDING_MAX_AGE_MS,
  parsePgSnapshot,
  UsageLedger,
  visibleIn,
} from "../../src/durable-objects/usage-ledger.ts";

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const item = (messageId: string, tokens: number, day = "2026-11-20") => ({ messageId, day, tokens });

describe("pg snapshots", () => {
  it("parses the text form and tells committed transactions it saw from those it did not", () => {
    const s = parsePgSnapshot("100:105:100,103");
    expect(s.xmin).toBe(100n);
    expect(s.xmax).toBe(105n);
    // Below xmin: finished; xip: still running; from xmax on: not started yet.
    expect([99n, 100n, 101n, 102n, 103n, 104n, 105n, 200n].map((x) => visibleIn(s, x))).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(visibleIn(parsePgSnapshot("7:7:"), 6n)).toBe(true);
    expect(() => parsePgSnapshot("nonsense")).toThrow();
  });
});

describe("UsageLedger", () => {
  it("adds commits after the seed, and ignores those the seed already counted", () => {
    const l = new UsageLedger();
    l.beginSeed();
    l.finishSeed("200:210:200,205", { "2026-11-20": 1000, "2026-11-19": 500, "2026-10-31": 9999 });
    expect(l.day("2026-11-20")).toBe(1000);
    expect(l.month("2026-11")).toBe(1500);
    l.commit("150", [item("a", 40)], T0); // committed before the seed's snapshot: already in it
    l.commit("205", [item("b", 7)], T0); // running when the seed was read: not in it
    l.commit("230", [item("c", 3)], T0); // after the seed
    expect(l.day("2026-11-20")).toBe(1010);
    expect(l.month("2026-11")).toBe(1510);
  });

  it("counts a pending reply once, whichever of its two reports comes first", () => {
    const l = new UsageLedger();
    l.beginSeed();
    l.finishSeed("10:10:", {});
    l.addPending(item("p", 50), T0);
    expect(l.day("2026-11-20")).toBe(50);
    l.commit("11", [item("p", 50)], T0);
    expect(l.day("2026-11-20")).toBe(50);
    // The commit report overtook the pending one: the late pending report is ignored.
    l.commit("12", [item("q", 5)], T0);
    l.addPending(item("q", 5), T0 + 10);
    expect(l.day("2026-11-20")).toBe(55);
  });

  it("keeps reports that arrive while the seed is read, and checks them against its snapshot", () => {
    const l = new UsageLedger();
    l.addPending(item("x", 8), T0);
    l.beginSeed();
    l.commit("300", [item("x", 8)], T0); // committed before the seed statement ran
    l.commit("320", [item("y", 2)], T0); // committed after it
    expect(l.seeded).toBe(false);
    l.finishSeed("310:315:", { "2026-11-20": 100 });
    expect(l.day("2026-11-20")).toBe(102);
  });

  it("drops commit reports when nothing is seeded or seeding (the next seed includes them)", () => {
    const l = new UsageLedger();
    l.addPending(item("z", 9), T0);
    l.commit("5", [item("z", 9)], T0);
    l.beginSeed();
    l.finishSeed("6:6:", { "2026-11-20": 9 });
    expect(l.day("2026-11-20")).toBe(9);
  });

  it("keeps pending replies over a reset, forgets the seed, and expires stale pending entries", () => {
    const l = new UsageLedger();
    l.beginSeed();
    l.finishSeed("1:1:", { "2026-11-20": 100 });
    l.addPending(item("p", 10), T0);
    l.reset();
    expect(l.seeded).toBe(false);
    expect(l.day("2026-11-20")).toBe(10);
    l.addPending(item("later", 1), T0 + PENDING_MAX_AGE_MS + 1);
    expect(l.day("2026-11-20")).toBe(1);
  });
});

describe("budget rules", () => {
  it("reads caps from settings; prices alone are no cap", () => {
    expect(capsOf({})).toBeNull();
    expect(capsOf({ budget: { inputPricePerMillion: 1 } })).toBeNull();
    expect(capsOf({ budget: { visitorMessagesPerHour: 0 } })).toEqual({
      dailyTokens: null,
      monthlyTokens: null,
      visitorMessagesPerHour: 0,
    });
    expect(hasTokenCaps(capsOf({ budget: { visitorMessagesPerHour: 5 } }))).toBe(false);
    expect(hasTokenCaps(capsOf({ budget: { monthlyTokens: 5 } }))).toBe(true);
  });

  it("counts in UTC days and months", () => {
    expect(utcDay(Date.UTC(2026, 10, 30, 23, 59, 59))).toBe("2026-11-30");
    expect(secondsToNextDay(Date.UTC(2026, 10, 30, 23, 59, 0))).toBe(60);
    expect(secondsToNextMonth(Date.UTC(2026, 11, 31, 23, 0, 0))).toBe(3600);
  });

  it("speaks the tenant's language", () => {
    expect(refusal("daily", "ru", 10)).toMatchObject({ code: "budget_exceeded", retryAfter: 10 });
    expect(refusal("daily", "ru", 10).message).toMatch(/лимит/);
    expect(refusal("monthly", "en", 10).message).toMatch(/month/);
    const visitor = refusal("visitor", "en", 125);
    expect(visitor).toMatchObject({ code: "visitor_rate_limited", retryAfter: 125 });
    expect(visitor.message).toContain("3 min");
  });
});
