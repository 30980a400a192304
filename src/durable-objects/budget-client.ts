/**
 * The dialog object's side of the tenant's budget. Every tenant has at least the platform's daily cap
 * (`PLATFORM_DAILY_TOKENS_PER_TENANT`; 0 turns it off). A visitor turn asks the tenant object before the
 * model call (`admitTurn`) unless the dialog's admission lease still holds (far from every cap, no
 * per-visitor rate, its token allowance left: see budget-rules.ts), and finished replies are reported after
 * the answer is out (`reportPending` at once, `reportCommitted` once the sync statement has committed).
 * Nothing here throws: the budget must never break a chat turn, so a failed call lets the turn run.
 */
import {
  type AdmissionLeaseTerms,
  type BudgetRefusal,
  capsOf,
  hasTokenCaps,
  platformDailyTokens,
  utcDay,
} from "../chat/budget-rules.ts";
import type { Channel } from "../commands/types.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import type { TenantSnapshot } from "./tenant-object.ts";
import type { ReplyUsage } from "./usage-ledger.ts";

type Env = Pick<Bindings, "TENANTS" | "PLATFORM_DAILY_TOKENS_PER_TENANT">;

/** The tenant's caps, the platform's daily cap included. */
function capsFor(env: Env, snapshot: TenantSnapshot) {
  return capsOf(snapshot.settings, platformDailyTokens(env.PLATFORM_DAILY_TOKENS_PER_TENANT));
}

/**
 * A dialog's last admission: while it holds (same snapshot, so the same caps; not expired; its token
 * allowance not spent by this dialog's replies), later turns run without asking the tenant object
 * (budget-rules.ts `admissionLease`).
 */
export class AdmissionLease {
  private until = 0;
  private tokens = 0;
  private snapshot: TenantSnapshot | undefined;

  holds(snapshot: TenantSnapshot, now = Date.now()): boolean {
    return this.snapshot === snapshot && now < this.until && this.tokens > 0;
  }

  grant(snapshot: TenantSnapshot, terms: AdmissionLeaseTerms, now = Date.now()): void {
    this.snapshot = snapshot;
    this.until = now + terms.ms;
    this.tokens = terms.tokens;
  }

  /** A reply of this dialog used `tokens`. */
  spend(tokens: number): void {
    this.tokens -= tokens;
  }
}

/** Null when the turn may call the model; the refusal otherwise. The owner's admin chat is never capped. */
export async function admitTurn(
  env: Env,
  snapshot: TenantSnapshot,
  turn: { tenantId: string; channel: Channel; visitorId: string },
  lease?: AdmissionLease,
): Promise<BudgetRefusal | null> {
  if (turn.channel === "admin") return null;
  const caps = capsFor(env, snapshot);
  if (!caps || lease?.holds(snapshot)) return null;
  try {
    const decision = await env.TENANTS.getByName(turn.tenantId).admit(turn.tenantId, {
      visitorKey: `${turn.channel}:${turn.visitorId}`,
      caps,
      locale: snapshot.locale,
    });
    if (decision.ok) {
      lease?.grant(snapshot, decision.lease);
      return null;
    }
    return { code: decision.code, message: decision.message, retryAfter: decision.retryAfter };
  } catch (err) {
    log("warn", "budget check failed; the turn runs", { tenantId: turn.tenantId, error: describe(err) });
    return null;
  }
}

/** Counts a finished reply against the caps right away (its rows reach Postgres a moment later). */
export async function reportPending(
  env: Env,
  snapshot: TenantSnapshot,
  tenantId: string,
  reply: { messageId: string; createdAt: number; tokens: number },
): Promise<void> {
  if (!hasTokenCaps(capsFor(env, snapshot)) || reply.tokens <= 0) return;
  try {
    await env.TENANTS.getByName(tenantId).usagePending({
      messageId: reply.messageId,
      day: utcDay(reply.createdAt),
      tokens: reply.tokens,
    });
  } catch (err) {
    log("warn", "reply usage not reported to the budget", { tenantId, error: describe(err) });
  }
}

/**
 * Tells the tenant object which replies' usage the committed transaction `xid` wrote. Skipped when the
 * dialog knows its tenant has no token cap; reported when it does not know (after an eviction).
 */
export async function reportCommitted(
  env: Env,
  snapshot: TenantSnapshot | undefined,
  tenantId: string,
  xid: string,
  usage: ReplyUsage[],
): Promise<void> {
  if (usage.length === 0 || (snapshot && !hasTokenCaps(capsFor(env, snapshot)))) return;
  try {
    await env.TENANTS.getByName(tenantId).usageCommitted(xid, usage);
  } catch (err) {
    log("warn", "synced usage not reported to the budget", { tenantId, error: describe(err) });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
