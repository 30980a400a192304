/**
 * The owner's budget: daily and monthly token caps, a per-visitor message rate, per-address chat limits
 * (enforced at the edge, services/chat-limits.ts), and prices that turn
 * tokens into cost (cache-hit prompt tokens at their own, lower price when one is set), kept in `tenants.settings.budget`. The caps are enforced by the tenant's Durable
 * Object (src/durable-objects/budget-gate.ts); a change reaches it through the tenant cache
 * invalidation the route calls after saving, so the next turn runs under the new caps.
 */
import type { Database } from "../../db/client.ts";
import type { TenantSettings } from "../../db/schema.ts";
import { readTenantSetting, writeTenantSetting } from "../../db/tenant-settings.ts";
import { type ChatIpLimits, ipLimitsFor } from "./chat-limits.ts";

type StoredBudget = NonNullable<TenantSettings["budget"]>;

/** The budget as the API shows and takes it; null means "not set" (no cap, no price). */
export interface BudgetView {
  daily_tokens: number | null;
  monthly_tokens: number | null;
  visitor_messages_per_hour: number | null;
  ip_messages_per_minute: number | null;
  ip_new_dialogs_per_minute: number | null;
  input_price_per_million: number | null;
  output_price_per_million: number | null;
  cached_input_price_per_million: number | null;
  currency: string | null;
}

/** The budget with what is in force now, platform defaults included (the routes' answer). */
export interface BudgetWithEffective extends BudgetView {
  effective: {
    ip_messages_per_minute: number;
    ip_new_dialogs_per_minute: number;
    platform_daily_tokens: number | null;
  };
}

/** The platform's side of the limits: env defaults of the per-address limits and the daily token cap. */
export interface PlatformLimits {
  ip: ChatIpLimits;
  dailyTokens: number | null;
}

/** What `PUT .../me/budget` accepts: every field optional, absent and null both mean "not set". */
export type BudgetInput = { [K in keyof BudgetView]?: BudgetView[K] | undefined };

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The API view of a stored budget. */
export function budgetView(budget: StoredBudget | undefined): BudgetView {
  const b = budget ?? {};
  return {
    daily_tokens: num(b.dailyTokens),
    monthly_tokens: num(b.monthlyTokens),
    visitor_messages_per_hour: num(b.visitorMessagesPerHour),
    ip_messages_per_minute: num(b.ipMessagesPerMinute),
    ip_new_dialogs_per_minute: num(b.ipNewDialogsPerMinute),
    input_price_per_million: num(b.inputPricePerMillion),
    output_price_per_million: num(b.outputPricePerMillion),
    cached_input_price_per_million: num(b.cachedInputPricePerMillion),
    currency: typeof b.currency === "string" ? b.currency : null,
  };
}

/** The stored form of a budget input: only the fields that are set. */
export function storedBudget(input: BudgetInput): StoredBudget {
  const out: StoredBudget = {};
  if (input.daily_tokens != null) out.dailyTokens = input.daily_tokens;
  if (input.monthly_tokens != null) out.monthlyTokens = input.monthly_tokens;
  if (input.visitor_messages_per_hour != null) out.visitorMessagesPerHour = input.visitor_messages_per_hour;
  if (input.ip_messages_per_minute != null) out.ipMessagesPerMinute = input.ip_messages_per_minute;
  if (input.ip_new_dialogs_per_minute != null) out.ipNewDialogsPerMinute = input.ip_new_dialogs_per_minute;
  if (input.input_price_per_million != null) out.inputPricePerMillion = input.input_price_per_million;
  if (input.output_price_per_million != null) out.outputPricePerMillion = input.output_price_per_million;
  if (input.cached_input_price_per_million != null)
    out.cachedInputPricePerMillion = input.cached_input_price_per_million;
  if (input.currency != null) out.currency = input.currency;
  return out;
}

/** The budget and the limits in force for it. */
export function withEffective(
  budget: StoredBudget | undefined,
  platform: PlatformLimits,
): BudgetWithEffective {
  const ip = ipLimitsFor({ budget: budget ?? {} }, platform.ip);
  return {
    ...budgetView(budget),
    effective: {
      ip_messages_per_minute: ip.messages,
      ip_new_dialogs_per_minute: ip.newDialogs,
      platform_daily_tokens: platform.dailyTokens,
    },
  };
}

/** The tenant's budget. */
export async function getBudget(
  db: Database,
  tenantId: string,
  platform: PlatformLimits,
): Promise<BudgetWithEffective> {
  return withEffective(await readTenantSetting(db, tenantId, "budget"), platform);
}

/**
 * Replaces the tenant's budget (PUT: fields left out are cleared). Only the `budget` key of the settings
 * document is written, so settings saved at the same time by other screens survive.
 */
export async function putBudget(
  db: Database,
  tenantId: string,
  input: BudgetInput,
  platform: PlatformLimits,
): Promise<BudgetWithEffective> {
  const budget = await writeTenantSetting(db, tenantId, "budget", storedBudget(input));
  return withEffective(budget, platform);
}
