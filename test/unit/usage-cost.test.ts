/** The cost of token counts: cache-hit prompt tokens at the cached input price, the rest at the input price. */
import { describe, expect, it } from "vitest";
import { type Prices, usageCost } from "../../src/services/budgets/usage-report.ts";

const prices = (input: number | null, output: number | null, cachedInput: number | null): Prices => ({
  input,
  output,
  cachedInput,
});

describe("usageCost", () => {
  it("prices cache hits at the cached price and misses at the input price", () => {
    // 400 misses × 2 + 600 hits × 0.5 + 100 × 8, per million.
    expect(usageCost(1000, 100, prices(2, 8, 0.5), 600)).toBe(0.0019);
  });

  it("prices hits at the input price when no cached price is set", () => {
    expect(usageCost(1000, 100, prices(2, 8, null), 600)).toBe(0.0028);
    expect(usageCost(1000, 100, prices(2, 8, null))).toBe(0.0028);
  });

  it("is null only when no price at all is set", () => {
    expect(usageCost(1000, 100, prices(null, null, null), 600)).toBeNull();
    expect(usageCost(1000, 100, prices(null, null, 1), 600)).toBe(0.0006);
  });

  it("never counts more hits than prompt tokens", () => {
    expect(usageCost(100, 0, prices(1, 1, 0), 5000)).toBe(0);
    expect(usageCost(100, 0, prices(1, 1, 0), -5)).toBe(0.0001);
  });
});
