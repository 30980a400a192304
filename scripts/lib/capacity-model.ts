/**
 * The capacity and cost arithmetic behind docs/capacity.md: for a number of chats a day, what CIP asks of
 * each Cloudflare product, Postgres and the model, what that costs a month, and at how many chats a day
 * each hard limit is reached. Pure: measured figures, prices and assumptions in, numbers out.
 */
import type { Assumptions } from "./capacity-assumptions.ts";
import type { Measured, Prices } from "./capacity-inputs.ts";

const SECONDS_PER_DAY = 86_400;
const HOURS_PER_MONTH = 730;
const GB = 1e9;
/** Neon's compute sizes: quarter and half units, then whole units up to the plan's ceiling. */
const NEON_SIZES = [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/** Cost of `used` units when `included` are free and the rest cost `perMillion` a million. */
export function overage(used: number, included: number, perMillion: number): number {
  return (Math.max(0, used - included) / 1e6) * perMillion;
}

/** The smallest Neon size at or above `cu` (the largest when none is). */
export function neonSize(cu: number): number {
  return NEON_SIZES.find((s) => s >= cu) ?? (NEON_SIZES[NEON_SIZES.length - 1] as number);
}

/** A token price blended over peak and off-peak hours. */
export function blended(offPeak: number, peak: number, peakShare: number): number {
  return offPeak * (1 - peakShare) + peak * peakShare;
}

export interface ScaleResult {
  chatsPerDay: number;
  turnsPerDay: number;
  tenants: number;
  workers: { requests: number; cpuMs: number; cost: number };
  durableObjects: {
    requests: number;
    gbSeconds: number;
    rowsWritten: number;
    rowsRead: number;
    storedGb: number;
    liveDialogs: number;
    liveTenants: number;
    storedObjects: { dialogs: number; visitors: number; tenants: number; outboxes: number };
    cost: { requests: number; duration: number; rows: number; storage: number; total: number };
  };
  postgres: {
    writeTxPerSecondPeak: number;
    roundTripsPerSecondPeak: number;
    cu: number;
    growthGbPerMonth: number;
    storedGb: number;
    cost: { compute: number; storage: number; total: number };
  };
  hyperdrive: { connectionsPeak: number; cost: number };
  r2: { storedGb: number; classA: number; classB: number; cost: number };
  model: { inputTokens: number; outputTokens: number; concurrencyPeak: number; cost: number };
  total: number;
  perThousandChats: number;
}

/** Everything CIP needs, and costs, a month at `chatsPerDay` (storage after `retentionMonths`). */
export function modelScale(chatsPerDay: number, m: Measured, p: Prices, a: Assumptions): ScaleResult {
  const month = a.daysPerMonth;
  const turnsPerDay = chatsPerDay * a.turnsPerChat;
  const turnsPerSecondPeak = (turnsPerDay / SECONDS_PER_DAY) * a.peakFactor;
  const chatsPerSecondPeak = (chatsPerDay / SECONDS_PER_DAY) * a.peakFactor;
  const tenants = Math.max(1, Math.ceil(chatsPerDay / a.chatsPerTenantPerDay));
  const retainedChats = chatsPerDay * month * a.retentionMonths;

  const wRequests =
    (turnsPerDay * m.worker_requests_per_turn + chatsPerDay * a.extraWorkerRequestsPerChat) * month;
  // The bench's CPU is the runtime's whole (Worker and objects): an upper bound for the Worker's share.
  const wCpu = turnsPerDay * m.cpu_ms_per_turn.cip * month;
  const wCost =
    p["workers.plan_usd_per_month"] +
    overage(wRequests, p["workers.requests_included_per_month"], p["workers.requests_usd_per_million"]) +
    overage(wCpu, p["workers.cpu_ms_included_per_month"], p["workers.cpu_usd_per_million_ms"]);

  const doRequests = (turnsPerDay * m.do_requests_per_turn + chatsPerDay * a.extraDoRequestsPerChat) * month;
  // A dialog object is in memory while the feed is open or a model stream is pending, whichever is longer.
  const dialogSeconds = Math.max(
    a.feedOpenSecondsPerChat,
    a.turnsPerChat * a.modelRequestsPerTurn * a.modelSecondsPerRequest,
  );
  const otherCalls = Math.max(0, m.do_requests_per_turn - 1);
  const activeSeconds = chatsPerDay * dialogSeconds + turnsPerDay * otherCalls * (a.doCallActiveMs / 1000);
  const gbSeconds = activeSeconds * p["durable_objects.billed_memory_gb"] * month;
  const rowsWritten = turnsPerDay * a.doRowsWrittenPerTurn * month;
  const rowsRead = turnsPerDay * a.doRowsReadPerTurn * month;
  const storedObjects = {
    dialogs: retainedChats,
    visitors: retainedChats * a.newVisitorShare,
    tenants,
    outboxes: Math.ceil(tenants * a.outboxTenantShare),
  };
  const objectCount =
    storedObjects.dialogs + storedObjects.visitors + storedObjects.tenants + storedObjects.outboxes;
  // Each dialog object keeps its messages after they reach Postgres (dialog-store.ts marks them synced).
  const doStoredGb =
    (objectCount * p["durable_objects.empty_object_bytes"] +
      retainedChats * a.turnsPerChat * m.stored_bytes_per_turn) /
    GB;
  const doCost = {
    requests: overage(
      doRequests,
      p["durable_objects.requests_included_per_month"],
      p["durable_objects.requests_usd_per_million"],
    ),
    duration: overage(
      gbSeconds,
      p["durable_objects.duration_gbs_included_per_month"],
      p["durable_objects.duration_usd_per_million_gbs"],
    ),
    rows:
      overage(
        rowsRead,
        p["durable_objects.rows_read_included_per_month"],
        p["durable_objects.rows_read_usd_per_million"],
      ) +
      overage(
        rowsWritten,
        p["durable_objects.rows_written_included_per_month"],
        p["durable_objects.rows_written_usd_per_million"],
      ),
    storage:
      Math.max(0, doStoredGb - p["durable_objects.storage_gb_included"]) *
      p["durable_objects.storage_usd_per_gb_month"],
    total: 0,
  };
  doCost.total = doCost.requests + doCost.duration + doCost.rows + doCost.storage;

  const writeTxPeak = turnsPerSecondPeak * a.pgWriteTxPerTurn;
  // One round trip per sync transaction (the bench's short answers sync once; a real turn, pgWriteTxPerTurn).
  const roundTripsPeak = turnsPerSecondPeak * a.pgWriteTxPerTurn;
  const cu = neonSize(Math.max(a.pgMinCu, writeTxPeak / a.pgWriteTxPerCuSecond));
  const growthGb = (turnsPerDay * month * m.stored_bytes_per_turn) / GB;
  const pgStoredGb = growthGb * a.retentionMonths;
  const pgCost = {
    compute: cu * HOURS_PER_MONTH * p["postgres.cu_hour_usd"],
    storage: pgStoredGb * p["postgres.storage_usd_per_gb_month"],
    total: 0,
  };
  pgCost.total = pgCost.compute + pgCost.storage;

  const queries = turnsPerDay * month * a.pgWriteTxPerTurn;
  const hyperdrive = {
    // Little's law: connections busy = round trips a second × how long each holds one.
    connectionsPeak: roundTripsPeak * (a.pgRoundTripMs / 1000),
    cost: (queries / 1e6) * p["hyperdrive.queries_usd_per_million"],
  };

  const r2StoredGb = (tenants * a.r2BytesPerTenant) / GB;
  const classA = tenants * a.r2WritesPerTenantPerMonth;
  const classB = chatsPerDay * a.r2ReadsPerChat * month;
  const r2Cost =
    Math.max(0, r2StoredGb - p["r2.storage_gb_included"]) * p["r2.storage_usd_per_gb_month"] +
    overage(classA, p["r2.class_a_included_per_month"], p["r2.class_a_usd_per_million"]) +
    overage(classB, p["r2.class_b_included_per_month"], p["r2.class_b_usd_per_million"]);

  const inputTokens = turnsPerDay * a.inputTokensPerTurn * month;
  const outputTokens = turnsPerDay * a.outputTokensPerTurn * month;
  const hit = blended(
    p["deepseek.input_cache_hit_usd_per_million_off_peak"],
    p["deepseek.input_cache_hit_usd_per_million_peak"],
    a.peakPriceShare,
  );
  const miss = blended(
    p["deepseek.input_cache_miss_usd_per_million_off_peak"],
    p["deepseek.input_cache_miss_usd_per_million_peak"],
    a.peakPriceShare,
  );
  const out = blended(
    p["deepseek.output_usd_per_million_off_peak"],
    p["deepseek.output_usd_per_million_peak"],
    a.peakPriceShare,
  );
  const modelCost =
    (inputTokens * a.cacheHitShare * hit + inputTokens * (1 - a.cacheHitShare) * miss + outputTokens * out) /
    1e6;

  const total = wCost + doCost.total + pgCost.total + hyperdrive.cost + r2Cost + modelCost;
  return {
    chatsPerDay,
    turnsPerDay,
    tenants,
    workers: { requests: wRequests, cpuMs: wCpu, cost: wCost },
    durableObjects: {
      requests: doRequests,
      gbSeconds,
      rowsWritten,
      rowsRead,
      storedGb: doStoredGb,
      liveDialogs: chatsPerSecondPeak * dialogSeconds,
      liveTenants: tenants,
      storedObjects,
      cost: doCost,
    },
    postgres: {
      writeTxPerSecondPeak: writeTxPeak,
      roundTripsPerSecondPeak: roundTripsPeak,
      cu,
      growthGbPerMonth: growthGb,
      storedGb: pgStoredGb,
      cost: pgCost,
    },
    hyperdrive,
    r2: { storedGb: r2StoredGb, classA, classB, cost: r2Cost },
    model: {
      inputTokens,
      outputTokens,
      concurrencyPeak: turnsPerSecondPeak * a.modelRequestsPerTurn * a.modelSecondsPerRequest,
      cost: modelCost,
    },
    total,
    perThousandChats: (total / (chatsPerDay * month)) * 1000,
  };
}
