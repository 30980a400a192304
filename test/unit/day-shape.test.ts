import { describe, expect, it } from "vitest";
import { type DayKnobs, hourlyWeights, planDay, zipfShares } from "../../scripts/lib/day-shape.ts";

const knobs: DayKnobs = {
  tenants: 30,
  seconds: 180,
  turns: 1500,
  zipf: 1,
  peakFactor: 3,
  bursts: 3,
  burstShare: 0.06,
  returningShare: 0.3,
  seed: 1,
};

describe("day shape (npm run load -- --profile day)", () => {
  it("has a mean of 1 and a peak hour at the asked factor", () => {
    for (const peak of [2, 3, 4]) {
      const w = hourlyWeights(peak);
      expect(w).toHaveLength(24);
      expect(w.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 9);
      expect(Math.max(...w)).toBeCloseTo(peak, 9);
    }
  });

  it("gives Zipf shares that sum to 1, the top tenant twice the second", () => {
    const s = zipfShares(30, 1);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect((s[0] as number) / (s[1] as number)).toBeCloseTo(2, 9);
    expect(zipfShares(4, 0)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("plans about the asked turns inside the day, in order, the same for the same seed", () => {
    const plan = planDay(knobs);
    const turns = plan.sessions.reduce((s, x) => s + x.turns, 0);
    expect(Math.abs(turns - knobs.turns) / knobs.turns).toBeLessThan(0.05);
    expect(plan.sessions.every((s, i) => i === 0 || s.at >= (plan.sessions[i - 1]?.at ?? 0))).toBe(true);
    expect(plan.sessions.every((s) => s.at >= 0 && s.at < knobs.seconds * 1000 + 1000)).toBe(true);
    expect(plan.sessions.every((s) => s.thinkMs.length === s.turns - 1)).toBe(true);
    expect(planDay(knobs)).toEqual(plan);
    expect(planDay({ ...knobs, seed: 2 })).not.toEqual(plan);
  });

  it("puts the peak hour near 3× the mean and the hot tenant near its share", () => {
    const plan = planDay({ ...knobs, bursts: 0, turns: 20_000 });
    const hourMs = (knobs.seconds * 1000) / 24;
    const inPeak = plan.sessions.filter((s) => Math.floor(s.at / hourMs) === plan.peakHour).length;
    expect(inPeak / (plan.sessions.length / 24)).toBeGreaterThan(2.7);
    expect(inPeak / (plan.sessions.length / 24)).toBeLessThan(3.3);
    const top = plan.sessions.filter((s) => s.tenant === 0).length / plan.sessions.length;
    expect(Math.abs(top - (plan.shares[0] as number))).toBeLessThan(0.02);
  });

  it("sends each burst's sessions to one tenant inside a short window", () => {
    const plan = planDay(knobs);
    expect(plan.bursts).toHaveLength(3);
    for (const [b, burst] of plan.bursts.entries()) {
      const mine = plan.sessions.filter((s) => s.burst === b);
      expect(mine.length).toBe(burst.sessions);
      expect(mine.every((s) => s.tenant === burst.tenant && !s.returning)).toBe(true);
      expect(mine.every((s) => s.at >= burst.at && s.at <= burst.at + burst.lengthMs)).toBe(true);
    }
  });
});
