/** Telegram channel health: the webhook's state with the last delivery, and re-registering in one call. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { telegramBots } from "../../src/db/schema.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, readError } from "../helpers/http.ts";
import {
  chatId,
  connectBot,
  deliver,
  failNext,
  setWebhookInfo,
  telegramCalls,
  telegramPath,
  textUpdate,
} from "../helpers/telegram.ts";

interface Status {
  connected: boolean;
  bot_username: string | null;
  webhook: {
    url: string;
    pending_update_count: number;
    last_error_message: string | null;
    last_error_date: string | null;
  } | null;
  last_update_at: string | null;
}

const storedHash = (tenantId: string) =>
  withDb(async ({ db }) => {
    const [row] = await db
      .select({ hash: telegramBots.webhookSecretHash })
      .from(telegramBots)
      .where(eq(telegramBots.tenantId, tenantId));
    return row?.hash;
  });
const status = async (o: Owner): Promise<Status> => {
  const res = await call(telegramPath(o.tenantId), { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
};
const reregister = (o: Owner, headers: HeadersInit = bearer(o.token)) =>
  call(`${telegramPath(o.tenantId)}/webhook`, { method: "POST", headers });

describe("webhook state", () => {
  it("reports the last delivery next to Telegram's pending count and last error", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    expect((await status(owner)).last_update_at).toBeNull();

    const before = Date.now();
    // An update id with no message: claimed and acknowledged, no model turn.
    expect((await deliver(owner.tenantId, bot.secret, { update_id: 7001 })).status).toBe(200);
    await setWebhookInfo(bot.token, {
      pending_update_count: 2,
      last_error_date: 1_900_000_000,
      last_error_message: "Wrong response from the webhook: 502 Bad Gateway",
    });
    const s = await status(owner);
    const at = Date.parse(s.last_update_at ?? "");
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    expect(s.webhook).toEqual({
      url: `http://cip.test/api/v1/tenants/${owner.tenantId}/telegram/webhook`,
      pending_update_count: 2,
      last_error_message: "Wrong response from the webhook: 502 Bad Gateway",
      last_error_date: new Date(1_900_000_000_000).toISOString(),
    });

    // A later update moves it forward; an unauthenticated one does not count.
    await new Promise((r) => setTimeout(r, 20));
    expect((await deliver(owner.tenantId, "wrong", textUpdate(chatId(), "x"))).status).toBe(401);
    expect((await status(owner)).last_update_at).toBe(s.last_update_at);
    expect((await deliver(owner.tenantId, bot.secret, { update_id: 7002 })).status).toBe(200);
    expect(Date.parse((await status(owner)).last_update_at ?? "")).toBeGreaterThan(at);
  });
});

describe("POST /me/telegram/webhook", () => {
  it("registers the webhook again with a fresh secret: the old one stops working, the new one works", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const res = await reregister(owner);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Status;
    expect(body).toMatchObject({
      connected: true,
      webhook: { url: `http://cip.test/api/v1/tenants/${owner.tenantId}/telegram/webhook` },
    });
    const calls = await telegramCalls(bot.token, "setWebhook");
    expect(calls).toHaveLength(2);
    const fresh = String(calls[1]?.params.secret_token ?? "");
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43,256}$/);
    expect(fresh).not.toBe(bot.secret);
    expect(calls[1]?.params).toMatchObject({
      url: `http://cip.test/api/v1/tenants/${owner.tenantId}/telegram/webhook`,
      allowed_updates: ["message", "edited_message"],
      drop_pending_updates: false,
    });
    expect(await storedHash(owner.tenantId)).toBe(await sha256Hex(fresh));
    expect(JSON.stringify(body)).not.toContain(fresh);
    expect(JSON.stringify(body)).not.toContain(bot.token.split(":")[1]);

    expect((await deliver(owner.tenantId, bot.secret, { update_id: 8001 })).status).toBe(401);
    expect((await deliver(owner.tenantId, fresh, { update_id: 8002 })).status).toBe(200);
  });

  it("keeps the current secret when Telegram refuses: a revoked token is 409, an outage 502", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const hash = await storedHash(owner.tenantId);

    await failNext(bot.token, "setWebhook", 1, 401);
    const revoked = await reregister(owner);
    expect(revoked.status).toBe(409);
    expect((await readError(revoked)).error.message).toMatch(/connect the bot again/);

    await failNext(bot.token, "setWebhook", 4, 500);
    const down = await reregister(owner);
    expect(down.status).toBe(502);
    expect((await readError(down)).error.code).toBe("upstream_error");

    expect(await storedHash(owner.tenantId)).toBe(hash);
    expect((await deliver(owner.tenantId, bot.secret, { update_id: 9001 })).status).toBe(200);
  });

  it("is 404 without a connected bot", async () => {
    const owner = await seedOwner();
    const res = await reregister(owner);
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("not_found");
  });

  it("is for the tenant's owners: no token 401, member 403, another tenant's owner 403", async () => {
    const owner = await seedOwner();
    const bot = await connectBot(owner);
    const member = await seedMember(owner);
    const other = await seedOwner();
    expect((await reregister(owner, {})).status).toBe(401);
    expect((await reregister(owner, bearer(member.token))).status).toBe(403);
    expect((await reregister(owner, bearer(other.token))).status).toBe(403);
    expect(await telegramCalls(bot.token, "setWebhook")).toHaveLength(1);
    expect((await deliver(owner.tenantId, bot.secret, { update_id: 9101 })).status).toBe(200);
  });
});
