/**
 * The tenant's conversation policy, applied by the chat page (the widget's iframe is one too):
 * - `keep`: the stored dialog continues for as long as the browser keeps it (the default);
 * - `reset_after_hours`: when the last message (sent or received) is older than N hours, the next one
 *   starts a new dialog (checked when the page opens and before each message);
 * - `new_on_reload`: every page load starts a new dialog.
 * The last activity is kept per tenant in `cip:{tenant_id}:active` (ms since the epoch).
 */
import { readJson, writeJson } from "../shared/store.ts";

export interface ConversationPolicy {
  policy: "keep" | "reset_after_hours" | "new_on_reload";
  hours: number | null;
}

export interface PolicyState {
  /** True when the stored conversation must not be continued on this page load. */
  staleOnLoad(): boolean;
  /** True when the stored conversation is too old to continue now (before a message). */
  staleNow(): boolean;
  /** Records activity (a message sent or received). */
  touch(): void;
}

/** Whether a conversation last active at `last` (ms) is over, at `now`, under `policy`. */
export function isExpired(policy: ConversationPolicy, last: number | null, now: number): boolean {
  if (policy.policy !== "reset_after_hours" || !policy.hours || last === null) return false;
  return now - last > policy.hours * 3_600_000;
}

export function policyState(tenantId: string, policy: ConversationPolicy): PolicyState {
  const key = `cip:${tenantId}:active`;
  const last = () => {
    const value = readJson<number>(key);
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  };
  return {
    staleOnLoad: () => policy.policy === "new_on_reload" || isExpired(policy, last(), Date.now()),
    staleNow: () => isExpired(policy, last(), Date.now()),
    touch: () => writeJson(key, Date.now()),
  };
}
