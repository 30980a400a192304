/** Request and response schemas of the owner's budget (caps and prices) and usage report. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

/** Largest caps and prices the API accepts: far above any real tenant, low enough to stay exact. */
export const BUDGET_MAX = {
  dailyTokens: 10_000_000_000,
  monthlyTokens: 100_000_000_000,
  visitorMessagesPerHour: 10_000,
  ipPerMinute: 100_000,
  pricePerMillion: 10_000,
} as const;
/** The longest range `GET .../me/usage` reports, in days. */
export const USAGE_RANGE_MAX_DAYS = 366;

const cap = (max: number, description: string) =>
  z.number().int().min(0).max(max).nullable().optional().openapi({ description });
const price = (description: string) =>
  z.number().min(0).max(BUDGET_MAX.pricePerMillion).nullable().optional().openapi({ description });

export const BudgetBody = z
  .object({
    daily_tokens: cap(BUDGET_MAX.dailyTokens, "Tokens (prompt + completion) per UTC day; null: no cap"),
    monthly_tokens: cap(BUDGET_MAX.monthlyTokens, "Tokens per UTC calendar month; null: no cap"),
    visitor_messages_per_hour: cap(
      BUDGET_MAX.visitorMessagesPerHour,
      "Messages one visitor may send in any 60 minutes; null: no limit",
    ),
    ip_messages_per_minute: cap(
      BUDGET_MAX.ipPerMinute,
      "Chat messages per minute from one client address; null: the platform default; 0: no limit",
    ),
    ip_new_dialogs_per_minute: cap(
      BUDGET_MAX.ipPerMinute,
      "New conversations per minute from one client address; null: the platform default; 0: no limit",
    ),
    input_price_per_million: price("Price of one million prompt tokens, in `currency`"),
    output_price_per_million: price("Price of one million completion tokens, in `currency`"),
    cached_input_price_per_million: price(
      "Price of one million prompt tokens served from the model's context cache (cache hits), in `currency`; null: the input price",
    ),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code such as USD.")
      .transform((s) => s.toUpperCase())
      .nullable()
      .optional()
      // The transform hides the type from the generator: say it, null included (null clears the currency).
      .openapi({ type: ["string", "null"], example: "USD" }),
  })
  .strict()
  .openapi("BudgetSettings");

export const BudgetSchema = z
  .object({
    daily_tokens: z.number().int().nullable(),
    monthly_tokens: z.number().int().nullable(),
    visitor_messages_per_hour: z.number().int().nullable(),
    ip_messages_per_minute: z.number().int().nullable(),
    ip_new_dialogs_per_minute: z.number().int().nullable(),
    /** What is in force now, the platform's defaults included (read-only). */
    effective: z.object({
      ip_messages_per_minute: z.number().int(),
      ip_new_dialogs_per_minute: z.number().int(),
      platform_daily_tokens: z.number().int().nullable(),
    }),
    input_price_per_million: z.number().nullable(),
    output_price_per_million: z.number().nullable(),
    cached_input_price_per_million: z.number().nullable(),
    currency: z.string().nullable(),
  })
  .openapi("Budget");

const Day = z.iso.date().openapi({ example: "2026-11-20" });

export const UsageQuery = z
  .object({
    from: Day.optional().openapi({ description: "First UTC day (default: 29 days before `to`)" }),
    to: Day.optional().openapi({ description: "Last UTC day (default: today)" }),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: "custom", path: ["from"], message: "Must not be after `to`." });
  });

const Tokens = {
  prompt_tokens: z.number().int(),
  cache_hit_tokens: z
    .number()
    .int()
    .openapi({ description: "The part of `prompt_tokens` served from the model's context cache" }),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  replies: z.number().int(),
  cost: z.number().nullable().openapi({ description: "In `currency`; null when no price is set" }),
};

export const UsageReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    currency: z.string().nullable(),
    days: z
      .array(z.object({ day: z.string(), ...Tokens }))
      .openapi({ description: "Every day of the range" }),
    totals: z.object(Tokens),
    today: z.object({ day: z.string(), tokens: z.number().int(), cap: z.number().int().nullable() }),
    month: z.object({ month: z.string(), tokens: z.number().int(), cap: z.number().int().nullable() }),
    top_dialogs: z
      .array(z.object({ dialog_id: z.string(), tokens: z.number().int(), replies: z.number().int() }))
      .openapi({ description: "The ten dialogs that used the most tokens in the range" }),
    feedback: z
      .object({ up: z.number().int(), down: z.number().int() })
      .openapi({ description: "Visitors' ratings of answers given (or last changed) in the range" }),
  })
  .openapi("UsageReport");
