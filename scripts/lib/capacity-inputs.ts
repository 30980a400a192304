/**
 * The inputs of `npm run capacity` (docs/capacity.md): the bench's measured per-turn figures
 * (scripts/capacity/measured.json, written by `npm run bench`), the vendors' prices with their sources
 * (scripts/capacity/prices.json) and the traffic assumptions below. Pure: the script reads the files, this
 * checks their shape and says exactly what is missing, so a bad file fails loudly instead of pricing zero.
 */

/** What `npm run bench` measures per chat turn (its shape is agreed with scripts/bench.ts). */
export interface Measured {
  /** `YYYY-MM-DD`, or "placeholder" while the numbers are estimates. */
  measured_at: string;
  command: string;
  /** `reading_floor`: the bench's floor that reads the answer (object hop, row first, chunks parsed). */
  cpu_ms_per_turn: { cip: number; bare: number; reading_floor?: number };
  ttft_overhead_ms_p50: { warm: number; new: number; floor: number };
  turns_per_second_40_streams: { cip: number; bare: number };
  pg_round_trips_per_turn: number;
  worker_requests_per_turn: number;
  do_requests_per_turn: number;
  stored_bytes_per_turn: number;
}

/** One price (or vendor limit) as prices.json holds it. */
export interface PriceEntry {
  value: number;
  unit: string;
  /** The page it was read from; anything not starting with http means it was not found (an estimate). */
  source: string;
  /** The day it was read, `YYYY-MM-DD`. */
  read: string;
}

export const PRICE_KEYS = [
  "workers.plan_usd_per_month",
  "workers.requests_included_per_month",
  "workers.requests_usd_per_million",
  "workers.cpu_ms_included_per_month",
  "workers.cpu_usd_per_million_ms",
  "durable_objects.requests_included_per_month",
  "durable_objects.requests_usd_per_million",
  "durable_objects.duration_gbs_included_per_month",
  "durable_objects.duration_usd_per_million_gbs",
  "durable_objects.billed_memory_gb",
  "durable_objects.rows_read_included_per_month",
  "durable_objects.rows_read_usd_per_million",
  "durable_objects.rows_written_included_per_month",
  "durable_objects.rows_written_usd_per_million",
  "durable_objects.storage_gb_included",
  "durable_objects.storage_usd_per_gb_month",
  "durable_objects.empty_object_bytes",
  "durable_objects.object_requests_per_second_soft_limit",
  "r2.storage_gb_included",
  "r2.storage_usd_per_gb_month",
  "r2.class_a_included_per_month",
  "r2.class_a_usd_per_million",
  "r2.class_b_included_per_month",
  "r2.class_b_usd_per_million",
  "hyperdrive.queries_usd_per_million",
  "hyperdrive.max_origin_connections",
  "postgres.cu_hour_usd",
  "postgres.storage_usd_per_gb_month",
  "postgres.max_autoscaling_cu",
  "deepseek.input_cache_hit_usd_per_million_off_peak",
  "deepseek.input_cache_hit_usd_per_million_peak",
  "deepseek.input_cache_miss_usd_per_million_off_peak",
  "deepseek.input_cache_miss_usd_per_million_peak",
  "deepseek.output_usd_per_million_off_peak",
  "deepseek.output_usd_per_million_peak",
  "deepseek.concurrency_limit",
] as const;

export type PriceKey = (typeof PRICE_KEYS)[number];
export type Prices = Record<PriceKey, number>;

/** The parsed price file: the numbers the model uses, every entry for the doc's source list, labels. */
export interface PriceBook {
  prices: Prices;
  entries: Array<{ key: PriceKey } & PriceEntry>;
  postgresProvider: string;
  model: string;
}

/** Whether an entry names a page it was read from (otherwise it is an estimate). */
export function hasSource(entry: PriceEntry): boolean {
  return /^https?:\/\//.test(entry.source);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks prices.json: every key the model needs, each with a number, a unit, a source and a read date. */
export function parsePrices(json: unknown): PriceBook {
  if (!isRecord(json)) throw new Error("prices.json: not an object");
  const problems: string[] = [];
  const prices = {} as Prices;
  const entries: PriceBook["entries"] = [];
  for (const key of PRICE_KEYS) {
    const [group, name] = key.split(".") as [string, string];
    const groupValue = json[group];
    const entry = isRecord(groupValue) ? groupValue[name] : undefined;
    if (!isRecord(entry)) {
      problems.push(`${key}: missing`);
      continue;
    }
    const { value, unit, source, read } = entry;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) problems.push(`${key}: value`);
    if (typeof unit !== "string" || !unit) problems.push(`${key}: unit`);
    if (typeof source !== "string" || !source)
      problems.push(`${key}: source (a URL, or say it was not found)`);
    if (typeof read !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(read))
      problems.push(`${key}: read (YYYY-MM-DD)`);
    prices[key] = value as number;
    entries.push({
      key,
      value: value as number,
      unit: String(unit),
      source: String(source),
      read: String(read),
    });
  }
  if (problems.length) throw new Error(`prices.json: ${problems.join("; ")}`);
  const postgres = json.postgres as Record<string, unknown>;
  const deepseek = json.deepseek as Record<string, unknown>;
  return {
    prices,
    entries,
    postgresProvider: typeof postgres.provider === "string" ? postgres.provider : "Postgres",
    model: typeof deepseek.model === "string" ? deepseek.model : "the default model",
  };
}

const MEASURED_NUMBERS = [
  "cpu_ms_per_turn.cip",
  "cpu_ms_per_turn.bare",
  "ttft_overhead_ms_p50.warm",
  "ttft_overhead_ms_p50.new",
  "ttft_overhead_ms_p50.floor",
  "turns_per_second_40_streams.cip",
  "turns_per_second_40_streams.bare",
  "pg_round_trips_per_turn",
  "worker_requests_per_turn",
  "do_requests_per_turn",
  "stored_bytes_per_turn",
] as const;

/** Checks measured.json against the shape the bench writes; names every missing or non-numeric field. */
export function parseMeasured(json: unknown): Measured {
  if (!isRecord(json)) throw new Error("measured.json: not an object");
  const problems: string[] = [];
  if (typeof json.measured_at !== "string" || !json.measured_at) problems.push("measured_at");
  if (typeof json.command !== "string") problems.push("command");
  for (const path of MEASURED_NUMBERS) {
    let value: unknown = json;
    for (const part of path.split(".")) value = isRecord(value) ? value[part] : undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) problems.push(path);
  }
  if (problems.length) throw new Error(`measured.json: missing or not a number: ${problems.join(", ")}`);
  return json as unknown as Measured;
}

/** Whether the measured figures are the placeholder estimates rather than a bench run. */
export function isPlaceholder(measured: Measured): boolean {
  return !/^\d{4}-\d{2}-\d{2}$/.test(measured.measured_at);
}
