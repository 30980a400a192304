/**
 * The findings of docs/capacity.md: what drives the cost and where the first bottleneck is, with what CIP
 * does about each limit (read from the code; the file names point at it). Pure, like capacity-doc.ts.
 */
import type { Assumptions } from "./capacity-assumptions.ts";
import { count, grouped, percent, table, usd } from "./capacity-format.ts";
import { firstLimit, type Limit, type LimitId } from "./capacity-limits.ts";
import type { ScaleResult } from "./capacity-model.ts";

export interface FindingsInput {
  assumptions: Assumptions;
  scales: ScaleResult[];
  /** The same scales with the visitor's live feed opened only during a takeover (no feed time). */
  withoutFeed: ScaleResult[];
  limits: Limit[];
}

const LIMIT_TEXT: Record<LimitId, { name: string; unit: string; source: string; cip: string }> = {
  model_concurrency: {
    name: "DeepSeek requests in flight per account",
    unit: "requests",
    source: "deepseek.concurrency_limit",
    cip: "Each turn is one streamed request from its dialog object, with thinking off on visitor turns so it ends sooner. Above the limit DeepSeek answers 429: the turn ends with `rate_limited` and the model's Retry-After (src/llm/http.ts), the visitor's message stays stored, nothing queues. The tenant's budget (token caps and per-visitor rate in its tenant object) keeps one tenant from taking the account's share. DeepSeek raises the limit on request at no cost, and its `user_id` would isolate tenants' scheduling and cache (not sent yet).",
  },
  hyperdrive_connections: {
    name: "Hyperdrive connections to Postgres",
    unit: "connections",
    source: "hyperdrive.max_origin_connections",
    cip: "No turn waits on Postgres: a dialog writes its rows in one statement per sync, at the end of the answer and, when the answer runs past 2 s after its first token, once during it (src/durable-objects/dialog-sync-loop.ts). BEGIN with the tenant settings, the statement and COMMIT travel as one query (src/db/tenant-scope.ts `once`, values written in by src/db/inline-sql.ts), so a sync holds an origin connection for one round trip from wherever the dialog object lives, and a turn's syncs share one connection to Hyperdrive. Cloudflare raises the limit on request. A sync that fails is retried by the object's alarm with backoff up to 60 s while chats go on from SQLite.",
  },
  postgres_writes: {
    name: "Postgres write transactions (Neon Launch at its 16 CU ceiling)",
    unit: "tx/s",
    source: "postgres.max_autoscaling_cu",
    cip: "At most two small transactions per turn (one for an answer shorter than 2 s), each one statement with upserts (dialog-sync.ts); usage is summed into `usage_daily` in the same statement, so budgets add no writes. Webhook and alert events go through the tenant's outbox object, and tenant settings are read once per tenant (tenant object), not per turn. Past the ceiling: Neon's Scale plan (fixed sizes to 56 CU) or larger sync batches (a dialog already sends all its pending rows in one statement).",
  },
  tenant_object: {
    name: "One tenant's object (prompt cache and budget)",
    unit: "requests/s (soft)",
    source: "durable_objects.object_requests_per_second_soft_limit",
    cip: "Every turn asks its tenant object for the prompt's epoch (answered from memory) and reports usage; the admission lease (budget-client.ts) skips the budget call while a dialog is far from every cap. Dialogs themselves are one object each, so nothing else is shared per tenant; the outbox object sees one call per sync only for tenants with hooks.",
  },
  tenant_tokens: {
    name: "The platform's default daily token cap of one tenant",
    unit: "tokens/day",
    source: "PLATFORM_DAILY_TOKENS_PER_TENANT",
    cip: "A configured cap, not a capacity limit: the operator raises it per tenant in the console (docs/operator.md); past it the tenant object refuses turns until the next UTC day.",
  },
};

/** The three things the bill depends on most, with what changing them would save. */
export function drivers(d: FindingsInput): string {
  const last = d.scales.length - 1;
  const big = d.scales[last];
  const lean = d.withoutFeed[last];
  if (!big || !lean) return "";
  const at = `at ${grouped(big.chatsPerDay)} chats a day`;
  const stored = big.durableObjects.cost.storage + big.postgres.cost.storage;
  return `## What drives the cost

- **The model**: ${percent(big.model.cost / big.total)} of the total ${at}, ${usd((big.model.cost / (big.chatsPerDay * d.assumptions.daysPerMonth)) * 1000)} of the ${usd(big.perThousandChats)} per 1,000 chats. Cache hits (\`cacheHitShare\`) and short answers matter more than anything below.
- **Durable Object duration**: ${usd(big.durableObjects.cost.duration)} a month ${at}, almost all of it dialog objects held in memory by the visitor's live feed (\`feedOpenSecondsPerChat\`). Opened only while a human holds the dialog, the feed would leave the model streams alone: ${usd(lean.durableObjects.cost.duration)} a month, ${usd(lean.perThousandChats)} per 1,000 chats in all.
- **Storage that only grows**: ${usd(stored)} a month ${at} after ${d.assumptions.retentionMonths} months (Durable Objects ${usd(big.durableObjects.cost.storage)}, Postgres ${usd(big.postgres.cost.storage)}), more each month: CIP deletes no dialog by itself, and every dialog object keeps its rows (about 12 KB even when empty) after they reach Postgres. Erasing a dialog object's storage some weeks after its last turn (Postgres keeps the rows) would remove most of the Durable Object part.`;
}

/** The limits table, which comes first, and what CIP does about each. */
export function bottlenecks(d: FindingsInput): string {
  const rows = d.limits.map((l) => {
    const t = LIMIT_TEXT[l.id];
    const scope = l.scope === "platform" ? "whole platform" : "one tenant";
    return [t.name, scope, `${grouped(l.capacity)} ${t.unit}`, count(l.chatsPerDay), `\`${t.source}\``];
  });
  const platform = firstLimit(d.limits, "platform");
  const tenant = firstLimit(d.limits, "tenant");
  const largest = d.scales[d.scales.length - 1];
  const busiest = largest ? largest.chatsPerDay * d.assumptions.largestTenantShare : 0;
  const notes = d.limits.map((l) => `- **${LIMIT_TEXT[l.id].name}.** ${LIMIT_TEXT[l.id].cip}`).join("\n");
  return `## Where the first bottleneck is

Chats a day at which each limit is reached with the assumptions above (a tenant's limits: chats of that
one tenant). Workers and Durable Objects have no account-wide ceiling (objects are unlimited and each
dialog is its own), so they only cost.

${table(["limit", "binds", "its number", "reached at chats/day", "source"], rows, ["l", "l", "r", "r", "l"])}

- First for the whole platform: **${LIMIT_TEXT[platform.id].name}**, reached at about ${count(platform.chatsPerDay)} chats a day; at ${grouped(largest?.chatsPerDay ?? 0)} chats a day ${percent(largest ? largest.chatsPerDay / platform.chatsPerDay : 0)} of it is in use.
- First for one tenant: **${LIMIT_TEXT[tenant.id].name}**, reached at about ${count(tenant.chatsPerDay)} chats a day of that tenant; the busiest tenant at ${grouped(largest?.chatsPerDay ?? 0)} chats a day has about ${grouped(busiest)}.

What CIP does about each:

${notes}`;
}
