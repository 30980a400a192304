import { describe, expect, it } from "vitest";
import { boundInstant, isDayBound } from "../../src/lib/date-bound.ts";

describe("date-range bounds", () => {
  it("tells a day from a datetime", () => {
    expect(isDayBound("2026-03-02")).toBe(true);
    expect(isDayBound("2026-03-02T10:00:00Z")).toBe(false);
  });

  it("a day as `from` is its UTC midnight, as `to` its last millisecond", () => {
    expect(new Date(boundInstant("2026-03-02", "from")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(new Date(boundInstant("2026-03-02", "to")).toISOString()).toBe("2026-03-02T23:59:59.999Z");
  });

  it("a datetime is its instant, offsets included", () => {
    expect(boundInstant("2026-03-03T02:00:00+02:00", "to")).toBe(Date.parse("2026-03-03T00:00:00Z"));
    expect(boundInstant("2026-03-03T02:00:00+02:00", "from")).toBe(Date.parse("2026-03-03T00:00:00Z"));
  });
});
