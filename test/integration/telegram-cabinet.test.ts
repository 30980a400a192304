import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { telegramBots } from "../../src/db/schema.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { decryptBotToken } from "../../src/services/telegram/token-crypto.ts";
import { bearer, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import {
  connectBot,
  fakeBotToken,
  REJECTED_BOT_TOKEN,
  setWebhookInfo,
  telegramCalls,
  telegramPath,
} from "../helpers/telegram.ts";

const botRow = (tenantId: string) =>
  withDb(async (h) => (await h.db.select().from(telegramBots).where(eq(telegramBots.tenantId, tenantId)))[0]);

/** Everything written to the console while `fn` runs, as one string. */
async function consoleDuring(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  };
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation(record);
  await fn();
  return lines.join("\n");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("PUT/GET/DELETE /me/telegram", () => {
  it("connects, reports and disconnects a bot; the token shows in no answer and no log line", async () => {
    const owner = await seedOwner();
    const token = fakeBotToken();
    const bodies: string[] = [];
    const path = telegramPath(owner.tenantId);
    const logs = await consoleDuring(async () => {
      const put = await callJson("PUT", path, { bot_token: token }, bearer(owner.token));
      bodies.push(await put.clone().text());
      expect(put.status).toBe(200);
      const id = token.split(":")[0];
      expect(await put.json()).toMatchObject({
        connected: true,
        bot_username: `cip_${id}_bot`,
        webhook: { url: `http://cip.test${`/api/v1/tenants/${owner.tenantId}/telegram/webhook`}` },
      });

      await setWebhookInfo(token, {
        pending_update_count: 3,
        last_error_date: 1_800_000_000,
        last_error_message: "Connection timed out",
      });
      const get = await call(path, { headers: bearer(owner.token) });
      bodies.push(await get.clone().text());
      expect(await get.json()).toEqual({
        connected: true,
        bot_username: `cip_${id}_bot`,
        webhook: {
          url: `http://cip.test/api/v1/tenants/${owner.tenantId}/telegram/webhook`,
          pending_update_count: 3,
          last_error_message: "Connection timed out",
          last_error_date: new Date(1_800_000_000_000).toISOString(),
        },
        last_update_at: null,
      });

      const del = await call(path, { method: "DELETE", headers: bearer(owner.token) });
      bodies.push(await del.clone().text());
      expect(del.status).toBe(204);
      const after = await call(path, { headers: bearer(owner.token) });
      bodies.push(await after.clone().text());
      expect(await after.json()).toEqual({
        connected: false,
        bot_username: null,
        webhook: null,
        last_update_at: null,
      });
    });
    for (const body of bodies) expect(body).not.toContain(token.split(":")[1]);
    expect(logs).not.toContain(token.split(":")[1]);
    expect(await botRow(owner.tenantId)).toBeUndefined();
    expect((await telegramCalls(token)).map((c) => c.method)).toEqual([
      "getMe",
      "setWebhook",
      "getWebhookInfo",
      "getWebhookInfo",
      "deleteWebhook",
    ]);
  });

  it("registers the webhook with a fresh high-entropy secret and stores only its hash and the sealed token", async () => {
    const owner = await seedOwner();
    const { token, secret } = await connectBot(owner);
    const [set] = await telegramCalls(token, "setWebhook");
    expect(set?.params).toMatchObject({
      url: `http://cip.test/api/v1/tenants/${owner.tenantId}/telegram/webhook`,
      allowed_updates: ["message", "edited_message"],
      drop_pending_updates: false,
    });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,256}$/);
    const row = await botRow(owner.tenantId);
    expect(row?.webhookSecretHash).toBe(await sha256Hex(secret));
    expect(row?.botTokenEncrypted).not.toContain(token.split(":")[1]);
    expect(await decryptBotToken(env, owner.tenantId, row?.botTokenEncrypted ?? "")).toBe(token);
    // Sealed to its tenant: the same ciphertext does not open for another tenant id.
    await expect(decryptBotToken(env, crypto.randomUUID(), row?.botTokenEncrypted ?? "")).rejects.toThrow();

    // Connecting again (a new secret) replaces the row rather than adding one.
    const again = await connectBot(owner, token);
    expect(again.secret).not.toBe(secret);
    expect((await botRow(owner.tenantId))?.webhookSecretHash).toBe(await sha256Hex(again.secret));
  });

  it("refuses a malformed token without calling Telegram, and a token Telegram rejects with 422", async () => {
    const owner = await seedOwner();
    const path = telegramPath(owner.tenantId);
    const bad = await callJson("PUT", path, { bot_token: "not-a-token" }, bearer(owner.token));
    expect(bad.status).toBe(422);
    expect((await readError(bad)).error.code).toBe("validation_failed");

    const rejected = await callJson("PUT", path, { bot_token: REJECTED_BOT_TOKEN }, bearer(owner.token));
    expect(rejected.status).toBe(422);
    const body = await readError(rejected);
    expect(body.error.issues).toEqual([{ path: "bot_token", message: "token rejected by Telegram" }]);
    expect(JSON.stringify(body)).not.toContain(REJECTED_BOT_TOKEN.split(":")[1]);
    expect(await botRow(owner.tenantId)).toBeUndefined();
  });

  it("is for the tenant's owners only", async () => {
    const owner = await seedOwner();
    const member = await seedMember(owner);
    const other = await seedOwner();
    const path = telegramPath(owner.tenantId);
    const body = { bot_token: fakeBotToken() };
    for (const method of ["GET", "PUT", "DELETE"]) {
      const send = (headers: HeadersInit) =>
        method === "PUT" ? callJson(method, path, body, headers) : call(path, { method, headers });
      expect((await send({})).status).toBe(401);
      expect((await send(bearer(member.token))).status).toBe(403);
      expect((await send(bearer(other.token))).status).toBe(403);
    }
    expect(await telegramCalls(body.bot_token)).toHaveLength(0);
    expect(await botRow(owner.tenantId)).toBeUndefined();
  });
});
