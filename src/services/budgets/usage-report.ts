/**
 * The owner's usage report: tokens, replies and cost per UTC day from `usage_daily` (written by the
 * dialogs' sync statements), totals, today and this month against the caps, and the costliest dialogs.
 * One statement reads it all.
 */
import { sql } from "drizzle-orm";
import { monthOf, utcDay } from "../../chat/budget-rules.ts";
import type { Database } from "../../db/client.ts";
import type { TenantSettings } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { USAGE_RANGE_MAX_DAYS } from "../../schemas/budget.ts";
import { budgetView } from "./budget.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days shown when the request names no `from`: the last 30 including `to`. */
const DEFAULT_DAYS = 30;

interface Counts {
  prompt_tokens: number;
  /** The part of `prompt_tokens` served from the provider's context cache. */
  cache_hit_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  replies: number;
  cost: number | null;
}

export interface UsageReport {
  from: string;
  to: string;
  currency: string | null;
  days: Array<{ day: string } & Counts>;
  totals: Counts;
  today: { day: string; tokens: number; cap: number | null };
  month: { month: string; tokens: number; cap: number | null };
  top_dialogs: Array<{ dialog_id: string; tokens: number; replies: number }>;
  /** Visitors' ratings of answers given (or last changed) in the range (answer feedback). */
  feedback: { up: number; down: number };
}

export interface Prices {
  input: number | null;
  output: number | null;
  /** Cache-hit prompt tokens; null: they cost the input price. */
  cachedInput: number | null;
}

/**
 * Cost of token counts at per-million prices, rounded to 1e-6; null when no price is set. `cacheHit` of
 * the `prompt` tokens cost the cached input price when there is one; the rest of the prompt (the cache
 * misses, and every prompt token of a provider that reports no cache) cost the input price.
 */
export function usageCost(prompt: number, completion: number, prices: Prices, cacheHit = 0): number | null {
  if (prices.input === null && prices.output === null && prices.cachedInput === null) return null;
  const hit = Math.min(Math.max(0, cacheHit), prompt);
  const input = prices.input ?? 0;
  const micro =
    (prompt - hit) * input + hit * (prices.cachedInput ?? input) + completion * (prices.output ?? 0);
  return Math.round(micro) / 1_000_000;
}

/** The report's range: defaults filled in, at most `USAGE_RANGE_MAX_DAYS` long. */
export function usageRange(query: { from?: string; to?: string }, now: number): { from: string; to: string } {
  const to = query.to ?? utcDay(now);
  const from = query.from ?? utcDay(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1)
    throw new AppError("validation_failed", "The request is not valid.", {
      issues: [{ path: "from", message: "Must not be after `to`." }],
    });
  if (days > USAGE_RANGE_MAX_DAYS)
    throw new AppError("validation_failed", "The request is not valid.", {
      issues: [{ path: "from", message: `The range may span at most ${USAGE_RANGE_MAX_DAYS} days.` }],
    });
  return { from, to };
}

const n = (v: unknown): number => Number(v ?? 0);

/** The usage report of a tenant for `range` (UTC days, inclusive). */
export async function usageReport(
  db: Database,
  tenantId: string,
  range: { from: string; to: string },
  now = Date.now(),
): Promise<UsageReport> {
  const today = utcDay(now);
  const month = monthOf(today);
  const result = await db.execute<{
    tenant: boolean | null;
    budget: TenantSettings["budget"] | null;
    days: Array<{ day: string; prompt: string; hit: string; completion: string; replies: string }>;
    today_tokens: string | null;
    month_tokens: string | null;
    top: Array<{ dialog_id: string; tokens: string; replies: string }>;
    feedback_up: string | null;
    feedback_down: string | null;
  }>(sql`
    select
      (select true from tenants where id = ${tenantId}) as tenant,
      (select settings -> 'budget' from tenants where id = ${tenantId}) as budget,
      coalesce((select json_agg(d order by d.day) from (
        select day::text as day, sum(prompt_tokens) as prompt, sum(cache_hit_tokens) as hit,
          sum(completion_tokens) as completion, sum(replies) as replies
        from usage_daily where tenant_id = ${tenantId} and day between ${range.from}::date and ${range.to}::date
        group by day) d), '[]'::json) as days,
      (select sum(prompt_tokens + completion_tokens) from usage_daily
        where tenant_id = ${tenantId} and day = ${today}::date) as today_tokens,
      (select sum(prompt_tokens + completion_tokens) from usage_daily
        where tenant_id = ${tenantId} and day between ${`${month}-01`}::date and ${today}::date) as month_tokens,
      coalesce((select json_agg(t) from (
        select dialog_id, sum(prompt_tokens + completion_tokens) as tokens, sum(replies) as replies
        from usage_daily where tenant_id = ${tenantId} and day between ${range.from}::date and ${range.to}::date
        group by dialog_id order by tokens desc, dialog_id limit 10) t), '[]'::json) as top,
      f.up as feedback_up, f.down as feedback_down
    from (select count(*) filter (where rating = 'up') as up, count(*) filter (where rating = 'down') as down
      from message_feedback where tenant_id = ${tenantId}
        and updated_at >= (${range.from}::date)::timestamp at time zone 'UTC'
        and updated_at < (${range.to}::date + 1)::timestamp at time zone 'UTC') f`);
  const row = result.rows[0];
  if (!row?.tenant) throw new AppError("tenant_not_found", "No such tenant.");
  const budget = budgetView(row.budget ?? undefined);
  const prices: Prices = {
    input: budget.input_price_per_million,
    output: budget.output_price_per_million,
    cachedInput: budget.cached_input_price_per_million,
  };
  const counts = (prompt: number, hit: number, completion: number, replies: number): Counts => ({
    prompt_tokens: prompt,
    cache_hit_tokens: hit,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    replies,
    cost: usageCost(prompt, completion, prices, hit),
  });

  const stored = new Map(row.days.map((d) => [d.day, d]));
  const days: UsageReport["days"] = [];
  let prompt = 0;
  let hit = 0;
  let completion = 0;
  let replies = 0;
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += DAY_MS) {
    const day = utcDay(t);
    const d = stored.get(day);
    const c = counts(n(d?.prompt), n(d?.hit), n(d?.completion), n(d?.replies));
    prompt += c.prompt_tokens;
    hit += c.cache_hit_tokens;
    completion += c.completion_tokens;
    replies += c.replies;
    days.push({ day, ...c });
  }
  return {
    from: range.from,
    to: range.to,
    currency: budget.currency,
    days,
    totals: counts(prompt, hit, completion, replies),
    today: { day: today, tokens: n(row.today_tokens), cap: budget.daily_tokens },
    month: { month, tokens: n(row.month_tokens), cap: budget.monthly_tokens },
    top_dialogs: row.top.map((t) => ({ dialog_id: t.dialog_id, tokens: n(t.tokens), replies: n(t.replies) })),
    feedback: { up: n(row.feedback_up), down: n(row.feedback_down) },
  };
}
