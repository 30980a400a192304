/**
 * The verdicts of `npm run bench`: every target is a ratio against a floor measured in the same run (the
 * machine's speed varies a lot from day to day), except the detector's throughput. Pure: the bench hands
 * in the samples, this module judges them (unit-tested in test/unit/bench-verdicts.test.ts).
 */
import { percentile } from "./stats.ts";

/** TTFT samples (ms) of one Postgres setting (loopback, or behind the delay proxy). */
export interface ModeSamples {
  /** The model answering directly: what every overhead is measured against. */
  direct: number[];
  /** The floor: bare Worker (deployed like CIP) + one Durable Object hop + one SQLite row first. */
  floor: number[];
  warm: number[];
  fresh: number[];
  cappedTokens: number[];
  cappedAll: number[];
}

export interface VerdictInput {
  loopback: ModeSamples;
  /** Postgres behind the proxy that adds 20 ms of round trip. */
  remote: ModeSamples;
  /** Turns per second at 40 concurrent streams, CIP and the bare pass-through Worker, per mode. */
  throughput: { loopback: { cip: number; bare: number }; remote: { cip: number; bare: number } };
  /** MB/s of the EXECUTE detector. */
  detectorMBps: number;
  /** CPU milliseconds per turn of the Worker's runtime process, CIP and the bare Worker. */
  cpuMsPerTurn?: { cip: number; bare: number };
}

export interface Verdict {
  pass: boolean;
  name: string;
  /** The measured figure and the bound it was held to, for the printed line. */
  detail: string;
}

/** The targets, in one place (README "Speed" prints the same table). */
export const TARGETS = {
  /** CIP's warm-turn TTFT overhead p50, at most this many times the floor's. */
  warmOverFloor: 1.3,
  /** A new dialog's TTFT overhead p50, at most this many times the floor's. */
  newOverFloor: 2,
  /** TTFT p50 at 20 ms RTT, at most this many times the loopback p50 (Postgres stays off the path). */
  remoteOverLoopbackP50: 1.1,
  /** Capped tenants' TTFT p99 at 20 ms RTT, at most this many times their loopback p99. */
  remoteOverLoopbackP99: 1.5,
  /** CIP's turns/s at 40 streams, at least this share of the bare Worker's. */
  throughputShare: 0.8,
  /** The EXECUTE detector, absolute (a pure function of the CPU, no floor to compare with). */
  detectorMBps: 50,
  /** CIP's CPU per turn, at most this many times the bare Worker's. */
  cpuOverBare: 3,
} as const;

/** TTFT overhead over the model direct, p50 (ms). */
export function overheadP50(mode: ModeSamples, xs: number[]): number {
  return percentile(xs, 50) - percentile(mode.direct, 50);
}

/** `value / base`; Infinity when the base is not positive (a floor of zero cannot be held to a ratio). */
export function ratio(value: number, base: number): number {
  return base > 0 ? value / base : Number.POSITIVE_INFINITY;
}

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : String(n));
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Every verdict of the run, in the order the README lists them. NaN measurements fail. */
export function benchVerdicts(input: VerdictInput): Verdict[] {
  const out: Verdict[] = [];
  const atMost = (name: string, value: number, bound: number, detail: string) =>
    out.push({ name, pass: value <= bound, detail: `${detail} = ${f(value)}x (target <= ${bound}x)` });
  const atLeast = (name: string, value: number, bound: number, detail: string) =>
    out.push({ name, pass: value >= bound, detail: `${detail} = ${f(value)}x (target >= ${bound}x)` });

  for (const [label, mode] of [
    ["loopback", input.loopback],
    ["20 ms RTT", input.remote],
  ] as const) {
    const floor = overheadP50(mode, mode.floor);
    const vsFloor = (series: string, xs: number[], bound: number) => {
      const over = overheadP50(mode, xs);
      atMost(
        `${label}: ${series} overhead p50 vs floor`,
        ratio(over, floor),
        bound,
        `${ms(over)} / ${ms(floor)}`,
      );
    };
    vsFloor("warm dialog", mode.warm, TARGETS.warmOverFloor);
    vsFloor("new dialog", mode.fresh, TARGETS.newOverFloor);
    vsFloor("capped warm (token caps)", mode.cappedTokens, TARGETS.warmOverFloor);
    vsFloor("capped warm (caps + visitor rate)", mode.cappedAll, TARGETS.warmOverFloor);
  }

  const { loopback: lo, remote: re } = input;
  const p = (xs: number[], q: number) => percentile(xs, q);
  // Medians for the uncapped rows; the capped rows' tail (p99), where their extra object call showed.
  for (const [series, a, b, q, bound] of [
    ["warm dialog", lo.warm, re.warm, 50, TARGETS.remoteOverLoopbackP50],
    ["new dialog", lo.fresh, re.fresh, 50, TARGETS.remoteOverLoopbackP50],
    ["capped warm (token caps)", lo.cappedTokens, re.cappedTokens, 99, TARGETS.remoteOverLoopbackP99],
    ["capped warm (caps + visitor rate)", lo.cappedAll, re.cappedAll, 99, TARGETS.remoteOverLoopbackP99],
  ] as const)
    atMost(
      `20 ms RTT vs loopback: ${series} TTFT p${q}`,
      ratio(p(b, q), p(a, q)),
      bound,
      `${ms(p(b, q))} / ${ms(p(a, q))}`,
    );

  for (const [label, t] of [
    ["loopback", input.throughput.loopback],
    ["20 ms RTT", input.throughput.remote],
  ] as const)
    atLeast(
      `${label}: turns/s at 40 streams vs bare Worker`,
      t.bare > 0 ? t.cip / t.bare : Number.NaN,
      TARGETS.throughputShare,
      `${t.cip.toFixed(1)} / ${t.bare.toFixed(1)}`,
    );

  out.push({
    name: "EXECUTE detector throughput",
    pass: input.detectorMBps >= TARGETS.detectorMBps,
    detail: `${input.detectorMBps.toFixed(1)} MB/s (target >= ${TARGETS.detectorMBps} MB/s)`,
  });

  if (input.cpuMsPerTurn) {
    const { cip, bare } = input.cpuMsPerTurn;
    atMost(
      "CPU per turn vs bare Worker",
      ratio(cip, bare),
      TARGETS.cpuOverBare,
      `${cip.toFixed(2)} ms / ${bare.toFixed(2)} ms`,
    );
  }
  return out;
}

/** The verdict table as Markdown lines. */
export function verdictTable(verdicts: Verdict[]): string[] {
  return [
    "| verdict | target | measured |",
    "| ------- | ------ | -------- |",
    ...verdicts.map((v) => `| ${v.pass ? "PASS" : "MISS"} | ${v.name} | ${v.detail} |`),
  ];
}
