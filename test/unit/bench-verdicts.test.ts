import { describe, expect, it } from "vitest";
import {
  benchVerdicts,
  type ModeSamples,
  ratio,
  type VerdictInput,
  verdictTable,
} from "../../scripts/lib/bench-verdicts.ts";

/** A series whose every sample is `ms` (so p50 and p99 are `ms`). */
const flat = (ms: number, n = 20) => Array.from({ length: n }, () => ms);

/** Model at 2 ms, floor overhead 4 ms; CIP rows as given (TTFT, ms). */
function mode(warm: number, fresh: number, capped = warm, cappedP99 = capped): ModeSamples {
  return {
    direct: flat(2),
    floor: flat(6),
    warm: flat(warm),
    fresh: flat(fresh),
    cappedTokens: [...flat(capped, 99), cappedP99],
    cappedAll: [...flat(capped, 99), cappedP99],
  };
}

function input(over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    loopback: mode(7, 9),
    remote: mode(7.1, 9.5),
    throughput: { loopback: { cip: 90, bare: 100 }, remote: { cip: 85, bare: 100 } },
    detectorMBps: 80,
    cpuMsPerTurn: { cip: 2.5, bare: 1 },
    ...over,
  };
}

const byName = (v: ReturnType<typeof benchVerdicts>, part: string) => {
  const found = v.filter((x) => x.name.includes(part));
  expect(found.length).toBeGreaterThan(0);
  return found;
};

describe("bench verdicts", () => {
  it("passes a run inside every target", () => {
    const v = benchVerdicts(input());
    expect(v.filter((x) => !x.pass).map((x) => x.name)).toEqual([]);
    // warm, new and both capped rows per mode (8), 2+2 remote-vs-loopback, 2 throughput, detector, CPU
    expect(v).toHaveLength(16);
  });

  it("holds the warm overhead to 1.3x the floor's and a new dialog to 2x", () => {
    // floor overhead 4 ms: warm 5.1 ms passes, 5.3 ms misses; new 7.9 ms passes, 8.2 ms misses
    const ok = benchVerdicts(input({ loopback: mode(7.1, 9.9) }));
    expect(byName(ok, "loopback: warm dialog overhead")[0]?.pass).toBe(true);
    expect(byName(ok, "loopback: new dialog overhead")[0]?.pass).toBe(true);
    const miss = benchVerdicts(input({ loopback: mode(7.3, 10.2) }));
    expect(byName(miss, "loopback: warm dialog overhead")[0]?.pass).toBe(false);
    expect(byName(miss, "loopback: new dialog overhead")[0]?.pass).toBe(false);
    expect(byName(miss, "loopback: warm dialog overhead")[0]?.detail).toContain("5.3 ms / 4.0 ms");
  });

  it("holds the capped rows to the warm target", () => {
    const v = benchVerdicts(input({ remote: mode(7.1, 9.5, 8) }));
    for (const c of byName(v, "20 ms RTT: capped warm")) expect(c.pass).toBe(false);
  });

  it("holds Postgres at 20 ms RTT within 10% of loopback at p50", () => {
    const ok = benchVerdicts(input({ remote: mode(7.6, 9.8) }));
    for (const c of byName(ok, "TTFT p50")) expect(c.pass).toBe(true);
    const miss = benchVerdicts(input({ remote: mode(7.8, 9) }));
    expect(byName(miss, "vs loopback: warm dialog TTFT p50")[0]?.pass).toBe(false);
    expect(byName(miss, "vs loopback: new dialog TTFT p50")[0]?.pass).toBe(true);
  });

  it("holds the capped p99 at 20 ms RTT within 1.5x of loopback's", () => {
    // loopback p99 20 ms; remote p99 30 ms passes, 31 ms misses (p50 unchanged)
    const lo = mode(7, 9, 7, 20);
    expect(
      byName(benchVerdicts(input({ loopback: lo, remote: mode(7, 9, 7, 30) })), "TTFT p99")[0]?.pass,
    ).toBe(true);
    const miss = benchVerdicts(input({ loopback: lo, remote: mode(7, 9, 7, 31) }));
    for (const c of byName(miss, "TTFT p99")) expect(c.pass).toBe(false);
  });

  it("holds throughput to 0.8x the bare Worker's, the detector to 50 MB/s and CPU to 3x", () => {
    const v = benchVerdicts(
      input({
        throughput: { loopback: { cip: 79, bare: 100 }, remote: { cip: 80, bare: 100 } },
        detectorMBps: 49.9,
        cpuMsPerTurn: { cip: 3.1, bare: 1 },
      }),
    );
    expect(byName(v, "loopback: turns/s")[0]?.pass).toBe(false);
    expect(byName(v, "20 ms RTT: turns/s")[0]?.pass).toBe(true);
    expect(byName(v, "detector")[0]?.pass).toBe(false);
    expect(byName(v, "CPU per turn")[0]?.pass).toBe(false);
  });

  it("fails what it cannot judge: no samples, or a floor of zero", () => {
    const empty = { ...mode(7, 9), warm: [] };
    expect(byName(benchVerdicts(input({ loopback: empty })), "loopback: warm dialog overhead")[0]?.pass).toBe(
      false,
    );
    expect(ratio(1, 0)).toBe(Number.POSITIVE_INFINITY);
    const noBare = { loopback: { cip: 10, bare: 0 }, remote: { cip: 10, bare: 100 } };
    expect(byName(benchVerdicts(input({ throughput: noBare })), "loopback: turns/s")[0]?.pass).toBe(false);
  });

  it("prints PASS or MISS on every line", () => {
    const lines = verdictTable(benchVerdicts(input({ detectorMBps: 10 })));
    expect(lines.slice(2).every((l) => /^\| (PASS|MISS) \|/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith("| MISS | EXECUTE detector"))).toBe(true);
  });
});
