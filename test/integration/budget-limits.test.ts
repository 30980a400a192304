/**
 * Budget enforcement: past a daily or monthly token cap, or the per-visitor message rate, a visitor turn
 * ends with a clear error before the model is called (the fake model's request log stays empty), the
 * visitor's message is stored all the same, and the owner's admin chat is never capped.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageDaily } from "../../src/db/schema.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { liveUsage, putBudget, usageAfter } from "../helpers/budget.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, readSse } from "../helpers/sse.ts";

const today = () => new Date().toISOString().slice(0, 10);

async function budget(owner: Owner, body: Record<string, unknown>): Promise<void> {
  const res = await putBudget(owner, body);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A JSON turn that must be answered; resolves with its dialog id once usage of `replies` is counted. */
async function answered(owner: Owner, message: string, dialogId?: string, user = visitor()): Promise<string> {
  const res = await chatJson(owner.tenantId, {
    user_id: user,
    message,
    ...(dialogId ? { dialog_id: dialogId } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { dialog_id: string }).dialog_id;
}

/** Seeds usage of `tokens` on the first day of this month for an unrelated dialog. */
function seedUsage(tenantId: string, tokens: number, day = `${today().slice(0, 7)}-01`) {
  return withDb((h) =>
    h.db.insert(usageDaily).values({
      tenantId,
      day,
      dialogId: crypto.randomUUID(),
      promptTokens: tokens,
      completionTokens: 0,
      replies: 1,
    }),
  );
}

describe("token caps", () => {
  it("past the daily cap: SSE error and JSON 429 in the tenant's language, message kept, no model call", async () => {
    const owner = await seedOwner({ locale: "ru" });
    await budget(owner, { daily_tokens: 100 });
    const spend = await script({ reply: "Хорошо.", usage: { prompt_tokens: 80, completion_tokens: 30 } });
    const user = visitor();
    const dialogId = await answered(owner, `первое ${spend}`, undefined, user);

    const blocked = await script({ reply: "should never be sent" });
    const res = await chat(owner.tenantId, {
      user_id: user,
      message: `второе ${blocked}`,
      dialog_id: dialogId,
    });
    expect(res.status).toBe(200);
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toEqual(["meta", "error"]);
    expect(events[1]?.data).toMatchObject({ code: "budget_exceeded" });
    expect(String(events[1]?.data.message)).toMatch(/дневной лимит/);

    const json = await chatJson(owner.tenantId, { user_id: visitor(), message: `третье ${blocked}` });
    expect(json.status).toBe(429);
    const retryAfter = Number(json.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect((await readError(json)).error.code).toBe("budget_exceeded");

    expect(await requestsFor(blocked)).toEqual([]);
    const rows = await storedMessages(dialogId, 3);
    expect(rows.map((r) => [r.role, r.content])).toEqual([
      ["user", `первое ${spend}`],
      ["assistant", "Хорошо."],
      ["user", `второе ${blocked}`],
    ]);
  });

  it("past the monthly cap (counted from earlier days in Postgres)", async () => {
    const owner = await seedOwner({ locale: "en" });
    await seedUsage(owner.tenantId, 5000);
    await budget(owner, { monthly_tokens: 5000, daily_tokens: 1_000_000 });
    const tag = await script({ reply: "no" });
    const res = await chatJson(owner.tenantId, { user_id: visitor(), message: tag });
    expect(res.status).toBe(429);
    const body = await readError(res);
    expect(body.error).toMatchObject({ code: "budget_exceeded" });
    expect(body.error.message).toMatch(/month/);
    expect(await requestsFor(tag)).toEqual([]);
    // Raising the cap opens the chat on the next turn.
    await budget(owner, { monthly_tokens: 5001 });
    await answered(owner, tag);
    expect(await requestsFor(tag)).toHaveLength(1);
  });

  it("a budget change takes effect on the next turn, both ways", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "fine", usage: { prompt_tokens: 40, completion_tokens: 10 } });
    const user = visitor();
    const dialogId = await answered(owner, tag, undefined, user);
    await usageAfter(owner.tenantId, 1);
    await budget(owner, { daily_tokens: 50 });
    const refused = await chatJson(owner.tenantId, { user_id: user, message: tag, dialog_id: dialogId });
    expect(refused.status).toBe(429);
    await budget(owner, { daily_tokens: null });
    await answered(owner, tag, dialogId, user);
    expect(await requestsFor(tag)).toHaveLength(2);
  });

  it("counts exactly across a cold start of the tenant object (seeded once from usage_daily)", async () => {
    const owner = await seedOwner();
    await budget(owner, { daily_tokens: 1000 });
    const tag = await script({ reply: "ok", usage: { prompt_tokens: 100, completion_tokens: 10 } });
    const user = visitor();
    const dialogId = await answered(owner, tag, undefined, user);
    await usageAfter(owner.tenantId, 1);
    // The reply's usage reports travel to the tenant object on their own; wait for them.
    await expect.poll(() => liveUsage(owner.tenantId)).toMatchObject({ seeded: true, day: 110 });
    await evictDurableObject(env.TENANTS.getByName(owner.tenantId));
    await answered(owner, tag, dialogId, user);
    await answered(owner, tag, undefined, user);
    await usageAfter(owner.tenantId, 3);
    // The reply's usage reports travel to the tenant object on their own; wait for them.
    await expect.poll(() => liveUsage(owner.tenantId)).toMatchObject({ seeded: true, day: 330 });

    // A late report of a transaction the seed already saw is ignored; one it did not see is counted.
    const [written] = await withDb((h) =>
      h.db.execute<{ xid: string }>(
        sql`select max(xmin::text::bigint)::text as xid from usage_daily where tenant_id = ${owner.tenantId}`,
      ),
    ).then((r) => r.rows);
    await evictDurableObject(env.TENANTS.getByName(owner.tenantId));
    await answered(owner, await script({ reply: "x", usage: { prompt_tokens: 0, completion_tokens: 0 } }));
    expect(await liveUsage(owner.tenantId)).toMatchObject({ seeded: true, day: 330 });
    const late = { messageId: crypto.randomUUID(), day: today(), tokens: 110 };
    await env.TENANTS.getByName(owner.tenantId).usageCommitted(written?.xid ?? "", [late]);
    expect(await liveUsage(owner.tenantId)).toMatchObject({ day: 330 });
    const future = (BigInt(written?.xid ?? "0") + 1_000_000n).toString();
    await env.TENANTS.getByName(owner.tenantId).usageCommitted(future, [{ ...late, messageId: "m2" }]);
    expect(await liveUsage(owner.tenantId)).toMatchObject({ day: 440 });
  });

  it("the owner's admin chat is exempt from the caps", async () => {
    const owner = await seedOwner();
    await seedUsage(owner.tenantId, 10, today());
    await budget(owner, { daily_tokens: 1, visitor_messages_per_hour: 0 });
    const tag = await script({ reply: "Настроим." });
    const visitorTry = await chatJson(owner.tenantId, { user_id: visitor(), message: tag });
    expect(visitorTry.status).toBe(429);
    const path = `/api/v1/tenants/${owner.tenantId}/admin/chat/message`;
    const res = await callJson("POST", path, { message: tag }, bearer(owner.token));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { reply: string }).reply).toBe("Настроим.");
    expect(await requestsFor(tag)).toHaveLength(1);
  });

  it("without a cap of its own a tenant still meets the platform's daily cap (2 000 000 tokens)", async () => {
    const owner = await seedOwner({ locale: "en" });
    await budget(owner, { input_price_per_million: 0.5, output_price_per_million: 2, currency: "usd" });
    const big = await script({ reply: "ok", usage: { prompt_tokens: 1_000_000, completion_tokens: 1 } });
    const user = visitor();
    const dialogId = await answered(owner, big, undefined, user);
    await answered(owner, big, dialogId, user);
    const blocked = await script({ reply: "never sent" });
    const res = await chatJson(owner.tenantId, { user_id: user, message: blocked, dialog_id: dialogId });
    expect(res.status).toBe(429);
    expect((await readError(res)).error.code).toBe("budget_exceeded");
    expect(await requestsFor(blocked)).toEqual([]);
    expect((await liveUsage(owner.tenantId)).day).toBe(2_000_002);
  });
});

describe("per-visitor message rate", () => {
  it("is exact under concurrent sends from one visitor across dialogs; other visitors go on", async () => {
    const owner = await seedOwner({ locale: "en" });
    await budget(owner, { visitor_messages_per_hour: 3 });
    const tag = await script({ reply: "hello", chunkSize: 2, delayMs: 5 });
    const user = visitor();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        chatJson(owner.tenantId, { user_id: user, message: `m${i} ${tag}` }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { dialog_id?: string; error?: { code: string; message: string } },
        })),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.body.error?.code).toBe("visitor_rate_limited");
      expect(r.body.error?.message).toMatch(/try again in \d+ min/);
    }
    expect(await requestsFor(tag)).toHaveLength(3);

    const other = await chatJson(owner.tenantId, { user_id: visitor(), message: tag });
    expect(other.status).toBe(200);
    // The same visitor stays limited in a new dialog, over SSE too.
    const sse = await readSse(await chat(owner.tenantId, { user_id: user, message: tag }));
    expect(sse.at(-1)).toMatchObject({ event: "error", data: { code: "visitor_rate_limited" } });
    await storedMessages(dialogIdOf(sse), 1);
    expect(await requestsFor(tag)).toHaveLength(4);
  });
});
