-- The prompt tokens the provider served from its context cache (hit) and the rest (miss), per reply summed:
-- cache-hit input is billed far lower (docs/budgets.md).
ALTER TABLE "usage_daily" ADD COLUMN "cache_hit_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD COLUMN "cache_miss_tokens" bigint DEFAULT 0 NOT NULL;