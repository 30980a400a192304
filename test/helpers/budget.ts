/** Budget and usage calls and waits shared by the budget tests. */
import { env } from "cloudflare:workers";
import { asc, eq } from "drizzle-orm";
import { usageDaily } from "../../src/db/schema.ts";
import { bearer, type Owner } from "./accounts.ts";
import { withDb } from "./db.ts";
import { call, callJson } from "./http.ts";

export type UsageRow = typeof usageDaily.$inferSelect;

export function putBudget(owner: Pick<Owner, "tenantId" | "token">, body: unknown): Promise<Response> {
  return callJson("PUT", `/api/v1/tenants/${owner.tenantId}/me/budget`, body, bearer(owner.token));
}

export function getUsage(owner: Pick<Owner, "tenantId" | "token">, query = ""): Promise<Response> {
  return call(`/api/v1/tenants/${owner.tenantId}/me/usage${query}`, { headers: bearer(owner.token) });
}

/** The tenant's `usage_daily` rows, by day and dialog. */
export function usageRows(tenantId: string): Promise<UsageRow[]> {
  return withDb((h) =>
    h.db
      .select()
      .from(usageDaily)
      .where(eq(usageDaily.tenantId, tenantId))
      .orderBy(asc(usageDaily.day), asc(usageDaily.dialogId)),
  );
}

/** Polls until the tenant's rows count `replies` replies in all, or fails after `timeoutMs`. */
export async function usageAfter(tenantId: string, replies: number, timeoutMs = 5000): Promise<UsageRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await usageRows(tenantId);
    const counted = rows.reduce((n, r) => n + r.replies, 0);
    if (counted >= replies) return rows;
    if (Date.now() > deadline)
      throw new Error(`tenant ${tenantId}: ${counted} of ${replies} replies counted`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Today's and this month's tokens as the tenant object's caps count them. */
export function liveUsage(tenantId: string): Promise<{ seeded: boolean; day: number; month: number }> {
  return env.TENANTS.getByName(tenantId).budgetUsage();
}
