/**
 * The capacity model behind docs/capacity.md (`npm run capacity`): its arithmetic on a small fixed input,
 * the checks on its input files, and the staleness verdict `npm run capacity -- --check` acts on.
 */
import { describe, expect, it } from "vitest";
import measuredFile from "../../scripts/capacity/measured.json";
import pricesFile from "../../scripts/capacity/prices.json";
import { type Assumptions, DEFAULT_ASSUMPTIONS } from "../../scripts/lib/capacity-assumptions.ts";
import { renderCapacityDoc, staleness } from "../../scripts/lib/capacity-doc.ts";
import { count, grouped, usd } from "../../scripts/lib/capacity-format.ts";
import {
  hasSource,
  type Measured,
  PRICE_KEYS,
  type Prices,
  parseMeasured,
  parsePrices,
} from "../../scripts/lib/capacity-inputs.ts";
import { firstLimit, limits } from "../../scripts/lib/capacity-limits.ts";
import { blended, modelScale, neonSize, overage } from "../../scripts/lib/capacity-model.ts";

const measured: Measured = {
  measured_at: "2026-12-01",
  command: "npm run bench",
  cpu_ms_per_turn: { cip: 10, bare: 2 },
  ttft_overhead_ms_p50: { warm: 18, new: 22, floor: 5 },
  turns_per_second_40_streams: { cip: 30, bare: 150 },
  pg_round_trips_per_turn: 6,
  worker_requests_per_turn: 1,
  do_requests_per_turn: 1,
  stored_bytes_per_turn: 1000,
};

/** Every price zero, then the few the test prices. */
function prices(overrides: Partial<Prices>): Prices {
  const all = Object.fromEntries(PRICE_KEYS.map((k) => [k, 0])) as Prices;
  return { ...all, ...overrides };
}

const small: Assumptions = {
  ...DEFAULT_ASSUMPTIONS,
  turnsPerChat: 2,
  inputTokensPerTurn: 1000,
  outputTokensPerTurn: 100,
  cacheHitShare: 0.5,
  peakPriceShare: 0,
  extraWorkerRequestsPerChat: 0,
  extraDoRequestsPerChat: 0,
  feedOpenSecondsPerChat: 100,
  modelRequestsPerTurn: 1,
  modelSecondsPerRequest: 5,
};

const fixed = prices({
  "workers.plan_usd_per_month": 5,
  "workers.requests_usd_per_million": 0.3,
  "workers.cpu_usd_per_million_ms": 0.02,
  "durable_objects.billed_memory_gb": 0.128,
  "durable_objects.duration_usd_per_million_gbs": 12.5,
  "deepseek.input_cache_hit_usd_per_million_off_peak": 0.1,
  "deepseek.input_cache_miss_usd_per_million_off_peak": 1,
  "deepseek.output_usd_per_million_off_peak": 2,
  "deepseek.input_cache_hit_usd_per_million_peak": 0.2,
  "deepseek.input_cache_miss_usd_per_million_peak": 2,
  "deepseek.output_usd_per_million_peak": 4,
  "deepseek.concurrency_limit": 2500,
});

describe("capacity model arithmetic", () => {
  it("prices only what exceeds the included amount", () => {
    expect(overage(15_000_000, 10_000_000, 0.3)).toBeCloseTo(1.5, 10);
    expect(overage(5_000_000, 10_000_000, 0.3)).toBe(0);
    expect(blended(1, 3, 0.25)).toBe(1.5);
    expect(neonSize(0.01)).toBe(0.25);
    expect(neonSize(1.2)).toBe(2);
    expect(neonSize(99)).toBe(16);
  });

  it("gives the cost per 1,000 chats of a small fixed input", () => {
    // 1,000 chats/day × 2 turns × 30 days = 60,000 turns a month (30,000 chats).
    const r = modelScale(1000, measured, fixed, small);
    // Plan $5 + 60,000 requests × $0.30/M + 600,000 CPU ms × $0.02/M.
    expect(r.workers.cost).toBeCloseTo(5 + 0.018 + 0.012, 10);
    // 1,000 chats × 100 s (the feed outlasts 2 × 5 s of model) × 0.128 GB × 30 days = 384,000 GB-s.
    expect(r.durableObjects.gbSeconds).toBeCloseTo(384_000, 6);
    expect(r.durableObjects.cost.duration).toBeCloseTo(4.8, 10);
    // 60 M input tokens, half cached: 30 M × $0.1 + 30 M × $1; 6 M output × $2.
    expect(r.model.cost).toBeCloseTo(3 + 30 + 12, 10);
    expect(r.total).toBeCloseTo(54.83, 10);
    expect(r.perThousandChats).toBeCloseTo((54.83 / 30_000) * 1000, 10);
  });

  it("blends peak and off-peak token prices by the peak share", () => {
    const r = modelScale(1000, measured, fixed, { ...small, peakPriceShare: 0.5 });
    expect(r.model.cost).toBeCloseTo(4.5 + 45 + 18, 10);
  });

  it("sizes Postgres and Hyperdrive from the peak", () => {
    const r = modelScale(86_400, measured, fixed, { ...small, peakFactor: 3, pgWriteTxPerTurn: 2 });
    // 86,400 chats × 2 turns a day = 2 turns/s on average, 6 at the peak.
    expect(r.postgres.writeTxPerSecondPeak).toBeCloseTo(12, 10);
    // One round trip per sync: the assumed transactions per turn, not the bench's count.
    expect(r.postgres.roundTripsPerSecondPeak).toBeCloseTo(12, 10);
    expect(r.hyperdrive.connectionsPeak).toBeCloseTo(12 * (small.pgRoundTripMs / 1000), 10);
    expect(r.model.concurrencyPeak).toBeCloseTo(6 * 1 * 5, 10);
  });

  it("finds the limit reached at the fewest chats a day", () => {
    const all = limits(
      {
        ...fixed,
        "hyperdrive.max_origin_connections": 100,
        "durable_objects.object_requests_per_second_soft_limit": 1000,
      },
      small,
    );
    const model = all.find((l) => l.id === "model_concurrency");
    // 2,500 in flight / (2 turns × 3 / 86,400 s × 5 s) = 7.2 M chats a day.
    expect(model?.chatsPerDay).toBeCloseTo(7_200_000, 4);
    const tokens = all.find((l) => l.id === "tenant_tokens");
    expect(tokens?.chatsPerDay).toBeCloseTo(2_000_000 / (2 * 1100), 10);
    expect(firstLimit(all, "tenant").id).toBe("tenant_tokens");
    expect(firstLimit(all, "platform").chatsPerDay).toBe(
      Math.min(...all.filter((l) => l.scope === "platform").map((l) => l.chatsPerDay)),
    );
  });
});

describe("capacity inputs", () => {
  it("reads the committed files, every price with a source and a read date", () => {
    const book = parsePrices(pricesFile);
    expect(book.entries).toHaveLength(PRICE_KEYS.length);
    expect(parseMeasured(measuredFile).worker_requests_per_turn).toBeGreaterThan(0);
  });

  it("names what a price file lacks instead of pricing it at zero", () => {
    const broken = structuredClone(pricesFile) as unknown as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    delete broken.r2?.class_b_usd_per_million;
    if (broken.workers?.plan_usd_per_month) broken.workers.plan_usd_per_month.read = "recently";
    expect(() => parsePrices(broken)).toThrow(
      /workers\.plan_usd_per_month: read.*r2\.class_b_usd_per_million: missing/,
    );
  });

  it("names the measured fields that are missing", () => {
    const { stored_bytes_per_turn: _, ...rest } = measured;
    expect(() => parseMeasured(rest)).toThrow(/stored_bytes_per_turn/);
  });

  it("lists a price without a source as an estimate in the doc", () => {
    const book = parsePrices(pricesFile);
    const entry = book.entries[0];
    if (!entry) throw new Error("no entries");
    entry.source = "not found in stored docs; estimate";
    expect(hasSource(entry)).toBe(false);
    const scales = [modelScale(1000, measured, book.prices, DEFAULT_ASSUMPTIONS)];
    const doc = renderCapacityDoc({
      measured,
      book,
      assumptions: DEFAULT_ASSUMPTIONS,
      scales,
      withoutFeed: scales,
      limits: limits(book.prices, DEFAULT_ASSUMPTIONS),
    });
    expect(doc).toContain("do not edit by hand");
    expect(doc).toContain("`npm run capacity`");
    expect(doc).toContain(`Prices without a source (estimates): \`${entry.key}\``);
  });
});

describe("npm run capacity -- --check", () => {
  it("fails on a stale or missing doc and passes on the generated text", () => {
    expect(staleness("# doc\n", "# doc\n")).toBeNull();
    expect(staleness("# old\n", "# doc\n")).toMatch(/stale/);
    expect(staleness(null, "# doc\n")).toMatch(/missing/);
  });
});

describe("capacity doc formatting", () => {
  it("prints the same digits on every machine", () => {
    expect(grouped(1234567.891, 2)).toBe("1,234,567.89");
    expect(count(12_345_678)).toBe("12.3 M");
    expect(count(4.2e9)).toBe("4.2 B");
    expect(usd(67_519.4)).toBe("$67,519");
    expect(usd(2.246)).toBe("$2.25");
  });
});
