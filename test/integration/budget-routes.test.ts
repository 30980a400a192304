/**
 * The owner's budget and usage routes: settings round trip and validation, the per-day report with cost,
 * totals and caps, and access (no token, a member, another tenant's owner).
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tenants, usageDaily } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { getUsage, putBudget } from "../helpers/budget.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";

interface Report {
  from: string;
  to: string;
  currency: string | null;
  days: Array<{
    day: string;
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    replies: number;
    cost: number | null;
  }>;
  totals: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    replies: number;
    cost: number | null;
  };
  today: { day: string; tokens: number; cap: number | null };
  month: { month: string; tokens: number; cap: number | null };
  top_dialogs: Array<{ dialog_id: string; tokens: number; replies: number }>;
}

const EMPTY = {
  daily_tokens: null,
  monthly_tokens: null,
  visitor_messages_per_hour: null,
  ip_messages_per_minute: null,
  ip_new_dialogs_per_minute: null,
  effective: {
    ip_messages_per_minute: 1000,
    ip_new_dialogs_per_minute: 1000,
    platform_daily_tokens: 2_000_000,
  },
  input_price_per_million: null,
  output_price_per_million: null,
  cached_input_price_per_million: null,
  currency: null,
};
const DAY_MS = 86_400_000;
const dayOf = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const getBudget = (o: Pick<Owner, "tenantId" | "token">) =>
  call(`/api/v1/tenants/${o.tenantId}/me/budget`, { headers: bearer(o.token) });

function addUsage(
  tenantId: string,
  rows: Array<{ day: string; dialog: string; p: number; c: number; r: number }>,
) {
  return withDb((h) =>
    h.db.insert(usageDaily).values(
      rows.map((x) => ({
        tenantId,
        day: x.day,
        dialogId: x.dialog,
        promptTokens: x.p,
        completionTokens: x.c,
        replies: x.r,
      })),
    ),
  );
}

describe("GET/PUT /me/budget", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("starts empty, stores what is sent, and keeps the other settings", async () => {
    expect(await (await getBudget(owner)).json()).toEqual(EMPTY);
    await withDb(({ db }) =>
      db
        .update(tenants)
        .set({ settings: sql`${tenants.settings} || '{"basePrompt": "keep me"}'::jsonb` })
        .where(eq(tenants.id, owner.tenantId)),
    );
    const full = {
      daily_tokens: 200_000,
      monthly_tokens: 5_000_000,
      visitor_messages_per_hour: 30,
      ip_messages_per_minute: 20,
      ip_new_dialogs_per_minute: 0,
      input_price_per_million: 0.27,
      output_price_per_million: 1.1,
      cached_input_price_per_million: 0.07,
      currency: "eur",
    };
    const shown = {
      ...full,
      currency: "EUR",
      effective: {
        ip_messages_per_minute: 20,
        ip_new_dialogs_per_minute: 0,
        platform_daily_tokens: 2_000_000,
      },
    };
    const res = await putBudget(owner, full);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(shown);
    expect(await (await getBudget(owner)).json()).toEqual(shown);
    const [row] = await withDb(({ db }) =>
      db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, owner.tenantId)),
    );
    expect(row?.settings.basePrompt).toBe("keep me");
    expect(row?.settings.budget).toEqual({
      dailyTokens: 200_000,
      monthlyTokens: 5_000_000,
      visitorMessagesPerHour: 30,
      ipMessagesPerMinute: 20,
      ipNewDialogsPerMinute: 0,
      inputPricePerMillion: 0.27,
      outputPricePerMillion: 1.1,
      cachedInputPricePerMillion: 0.07,
      currency: "EUR",
    });
  });

  it("replaces the whole budget: fields left out or null are cleared, 0 is a cap", async () => {
    await putBudget(owner, { daily_tokens: 10, currency: "USD" });
    const res = await putBudget(owner, { monthly_tokens: 0, daily_tokens: null });
    expect(await res.json()).toEqual({ ...EMPTY, monthly_tokens: 0 });
    expect(await (await putBudget(owner, {})).json()).toEqual(EMPTY);
  });

  it.each([
    ["a negative cap", { daily_tokens: -1 }, "daily_tokens"],
    ["a fractional cap", { monthly_tokens: 1.5 }, "monthly_tokens"],
    ["a cap over the maximum", { daily_tokens: 10_000_000_001 }, "daily_tokens"],
    ["a visitor rate over the maximum", { visitor_messages_per_hour: 10_001 }, "visitor_messages_per_hour"],
    ["a cap as a string", { daily_tokens: "100" }, "daily_tokens"],
    ["a negative price", { input_price_per_million: -0.01 }, "input_price_per_million"],
    ["a price over the maximum", { output_price_per_million: 10_000.5 }, "output_price_per_million"],
    ["a negative cached price", { cached_input_price_per_million: -1 }, "cached_input_price_per_million"],
    ["a bad currency", { currency: "dollars" }, "currency"],
    ["an unknown field", { daily_cap: 5 }, ""],
  ])("refuses %s with 422", async (_label, body, path) => {
    const res = await putBudget(owner, body);
    expect(res.status).toBe(422);
    const err = await readError(res);
    expect(err.error.code).toBe("validation_failed");
    if (path) expect(err.error.issues?.map((i) => i.path)).toContain(path);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const res = await callJson(
      "PUT",
      `/api/v1/tenants/${owner.tenantId}/me/budget`,
      "{",
      bearer(owner.token),
    );
    expect(res.status).toBe(400);
  });
});

describe("GET /me/usage", () => {
  let asker: Owner;
  beforeAll(async () => {
    asker = await seedOwner();
  });

  it("reports every day of the range with cost, totals, today and this month against the caps", async () => {
    const owner = await seedOwner();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await addUsage(owner.tenantId, [
      { day: dayOf(0), dialog: a, p: 1_000_000, c: 200_000, r: 10 },
      { day: dayOf(0), dialog: b, p: 500_000, c: 0, r: 2 },
      { day: dayOf(-2), dialog: a, p: 300, c: 100, r: 1 },
      { day: dayOf(-40), dialog: a, p: 7, c: 7, r: 1 },
    ]);
    await putBudget(owner, {
      daily_tokens: 2_000_000,
      monthly_tokens: 9_000_000,
      input_price_per_million: 0.25,
      output_price_per_million: 2,
      currency: "USD",
    });
    const res = await getUsage(owner);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Report;
    expect(r).toMatchObject({ from: dayOf(-29), to: dayOf(0), currency: "USD" });
    expect(r.days).toHaveLength(30);
    expect(r.days.map((d) => d.day)).toEqual(Array.from({ length: 30 }, (_, i) => dayOf(i - 29)));
    expect(r.days.at(-1)).toEqual({
      day: dayOf(0),
      prompt_tokens: 1_500_000,
      cache_hit_tokens: 0,
      completion_tokens: 200_000,
      total_tokens: 1_700_000,
      replies: 12,
      cost: 0.775, // 1.5M × 0.25 + 0.2M × 2
    });
    expect(r.days.at(-3)).toMatchObject({ total_tokens: 400, cost: 0.000275 });
    expect(r.days[0]).toEqual({
      day: dayOf(-29),
      prompt_tokens: 0,
      cache_hit_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      replies: 0,
      cost: 0,
    });
    expect(r.totals).toEqual({
      prompt_tokens: 1_500_300,
      cache_hit_tokens: 0,
      completion_tokens: 200_100,
      total_tokens: 1_700_400,
      replies: 13,
      cost: 0.775275,
    });
    expect(r.today).toEqual({ day: dayOf(0), tokens: 1_700_000, cap: 2_000_000 });
    expect(r.month.month).toBe(dayOf(0).slice(0, 7));
    expect(r.month.cap).toBe(9_000_000);
    expect(r.month.tokens).toBeGreaterThanOrEqual(1_700_000);
    expect(r.top_dialogs).toEqual([
      { dialog_id: a, tokens: 1_200_400, replies: 11 },
      { dialog_id: b, tokens: 500_000, replies: 2 },
    ]);

    const old = (await (await getUsage(owner, `?from=${dayOf(-40)}&to=${dayOf(-40)}`)).json()) as Report;
    expect(old.days).toEqual([
      {
        day: dayOf(-40),
        prompt_tokens: 7,
        cache_hit_tokens: 0,
        completion_tokens: 7,
        total_tokens: 14,
        replies: 1,
        cost: 0.000016,
      },
    ]);
  });

  it("says cost is unknown when no price is set", async () => {
    const owner = await seedOwner();
    await addUsage(owner.tenantId, [{ day: dayOf(0), dialog: crypto.randomUUID(), p: 10, c: 5, r: 1 }]);
    const r = (await (await getUsage(owner, `?from=${dayOf(0)}`)).json()) as Report;
    expect(r.currency).toBeNull();
    expect(r.days).toEqual([
      {
        day: dayOf(0),
        prompt_tokens: 10,
        cache_hit_tokens: 0,
        completion_tokens: 5,
        total_tokens: 15,
        replies: 1,
        cost: null,
      },
    ]);
    expect(r.today.cap).toBeNull();
  });

  it.each([
    ["from after to", `?from=${dayOf(0)}&to=${dayOf(-1)}`],
    ["a range over 366 days", `?from=${dayOf(-400)}&to=${dayOf(0)}`],
    ["from alone too far back", `?from=${dayOf(-366)}`],
    ["a date that does not exist", "?from=2026-02-30"],
    ["a timestamp", "?to=2026-11-20T10:00:00Z"],
  ])("refuses %s with 422", async (_label, query) => {
    const res = await getUsage(asker, query);
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });
});

describe("access", () => {
  let owner: Owner;
  let other: Owner;
  beforeAll(async () => {
    [owner, other] = await Promise.all([seedOwner(), seedOwner()]);
    await addUsage(other.tenantId, [{ day: dayOf(0), dialog: crypto.randomUUID(), p: 999, c: 1, r: 1 }]);
  });

  const routes = (tenantId: string, headers: HeadersInit) => [
    call(`/api/v1/tenants/${tenantId}/me/budget`, { headers }),
    callJson("PUT", `/api/v1/tenants/${tenantId}/me/budget`, { daily_tokens: 1 }, headers),
    call(`/api/v1/tenants/${tenantId}/me/usage`, { headers }),
  ];

  it("needs a token (401)", async () => {
    for (const res of await Promise.all(routes(owner.tenantId, {}))) {
      expect(res.status).toBe(401);
      expect((await readError(res)).error.code).toBe("unauthorized");
    }
  });

  it("is for owners only: a member gets 403", async () => {
    const member = await seedMember(owner);
    for (const res of await Promise.all(routes(owner.tenantId, bearer(member.token)))) {
      expect(res.status).toBe(403);
    }
  });

  it("refuses another tenant's owner (403) and never shows or changes the other tenant", async () => {
    for (const res of await Promise.all(routes(other.tenantId, bearer(owner.token)))) {
      expect(res.status).toBe(403);
    }
    expect(await (await getBudget(other)).json()).toEqual(EMPTY);
    const mine = (await (await getUsage(owner)).json()) as Report;
    expect(mine.totals.total_tokens).toBe(0);
    expect(mine.top_dialogs).toEqual([]);
  });
});
