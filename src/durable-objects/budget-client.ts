/**
 * The dialog object's side of the tenant's budget. A tenant without caps costs nothing here: no call is
 * made before the model, and no usage is reported after it. With caps, a visitor turn makes exactly one
 * call to the tenant object before the model call (`admitTurn`), and finished replies are reported after
 * the answer is out (`reportPending` at once, `reportCommitted` once the sync statement has committed).
 * Nothing here throws: the budget must never break a chat turn, so a failed call lets the turn run.
 */
import { type BudgetRefusal, capsOf, hasTokenCaps, utcDay } from "../chat/budget-rules.ts";
import type { Channel } from "../commands/types.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import type { TenantSnapshot } from "./tenant-object.ts";
import type { ReplyUsage } from "./usage-ledger.ts";

type Env = Pick<Bindings, "TENANTS">;

/** Null when the turn may call the model; the refusal otherwise. The owner's admin chat is never capped. */
export async function admitTurn(
  env: Env,
  snapshot: TenantSnapshot,
  turn: { tenantId: string; channel: Channel; visitorId: string },
): Promise<BudgetRefusal | null> {
  if (turn.channel === "admin") return null;
  const caps = capsOf(snapshot.settings);
  if (!caps) return null;
  try {
    const decision = await env.TENANTS.getByName(turn.tenantId).admit(turn.tenantId, {
      visitorKey: `${turn.channel}:${turn.visitorId}`,
      caps,
      locale: snapshot.locale,
    });
    if (decision.ok) return null;
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
  if (!hasTokenCaps(capsOf(snapshot.settings)) || reply.tokens <= 0) return;
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
  if (usage.length === 0 || (snapshot && !hasTokenCaps(capsOf(snapshot.settings)))) return;
  try {
    await env.TENANTS.getByName(tenantId).usageCommitted(xid, usage);
  } catch (err) {
    log("warn", "synced usage not reported to the budget", { tenantId, error: describe(err) });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
