/**
 * Usage the owner spends outside any dialog (the sandbox): added to `usage_daily` under an id of the
 * owner's own, so the usage report and the budget seed count it, and no visitor dialog changes.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import type { Usage } from "../../llm/client.ts";

/** Adds one reply's usage to today's (UTC) row of `usageId`. */
export async function recordOwnerUsage(db: Database, tenantId: string, usageId: string, usage: Usage) {
  await db.execute(sql`
    insert into usage_daily (tenant_id, day, dialog_id, prompt_tokens, completion_tokens, cache_hit_tokens,
                             cache_miss_tokens, replies)
    values (${tenantId}, (now() at time zone 'UTC')::date, ${usageId}, ${usage.promptTokens},
            ${usage.completionTokens}, ${usage.cacheHitTokens ?? 0}, ${usage.cacheMissTokens ?? 0}, 1)
    on conflict (tenant_id, day, dialog_id) do update set
      prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
      completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens,
      cache_hit_tokens = usage_daily.cache_hit_tokens + excluded.cache_hit_tokens,
      cache_miss_tokens = usage_daily.cache_miss_tokens + excluded.cache_miss_tokens,
      replies = usage_daily.replies + excluded.replies`);
}
