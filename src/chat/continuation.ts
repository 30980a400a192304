/**
 * Which dialog a web chat message that names none continues (DESIGN.md "Owner integrations"): the
 * visitor's latest dialog, as the original backend's `get_or_create_dialog` did, subject to the tenant's
 * conversation policy. Pure: the clock and the latest dialog are given (the route asks the visitor's
 * directory object, src/durable-objects/visitor-directory.ts).
 */

/** The tenant's conversation policy as the settings name it (src/services/embed-protection.ts). */
export interface ContinuationPolicy {
  policy: "keep" | "reset_after_hours" | "new_on_reload";
  hours: number | null;
}

/** The visitor's most recently active dialog on the web channel, and when it last was (ms). */
export interface LatestDialog {
  dialogId: string;
  lastActivity: number;
}

/**
 * Whether a message without `dialog_id` may continue a dialog at all, before any lookup: not under
 * `new_on_reload` (an API client has no page load, so every such message is one) nor with `new_dialog`.
 */
export function mayContinue(policy: ContinuationPolicy, newDialog: boolean): boolean {
  return !newDialog && policy.policy !== "new_on_reload";
}

/** Whether a dialog last active at `lastActivity` is over at `now` (only `reset_after_hours` ends one). */
export function isIdleTooLong(policy: ContinuationPolicy, lastActivity: number, now: number): boolean {
  if (policy.policy !== "reset_after_hours" || !policy.hours) return false;
  return now - lastActivity > policy.hours * 3_600_000;
}

/** The dialog id to continue, or null when the message starts a new dialog. */
export function dialogToContinue(
  policy: ContinuationPolicy,
  latest: LatestDialog | null,
  now: number,
  newDialog = false,
): string | null {
  if (!latest || !mayContinue(policy, newDialog)) return null;
  return isIdleTooLong(policy, latest.lastActivity, now) ? null : latest.dialogId;
}
