import { platformDailyTokens } from "../../chat/budget-rules.ts";
import type { Bindings } from "../../env.ts";
import type { PlatformLimits } from "./budget.ts";
import { platformIpLimits } from "./chat-limits.ts";

/** The platform's limits from the environment (DESIGN.md "Abuse limits"). */
export function platformLimits(env: Bindings): PlatformLimits {
  return {
    ip: platformIpLimits(env),
    dailyTokens: platformDailyTokens(env.PLATFORM_DAILY_TOKENS_PER_TENANT),
  };
}
