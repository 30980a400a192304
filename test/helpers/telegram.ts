/** Drives the fake Telegram Bot API (scripts/lib/fake-telegram.ts) and the webhook, for the Telegram tests. */
import { env } from "cloudflare:workers";
import type { RecordedCall } from "../../scripts/lib/fake-telegram.ts";
import { bearer, type Owner } from "./accounts.ts";
import { call, callJson } from "./http.ts";

export type { RecordedCall };

/** The fake's token that Telegram "revoked" (REJECTED_BOT_TOKEN in scripts/lib/fake-telegram.ts, which
 * imports node:http and so is not loaded into workerd). */
export const REJECTED_BOT_TOKEN = "100000:REJECTED_rejected_rejected_rejected_0000";

const API = () => env.TELEGRAM_API_URL ?? "";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** A well-formed bot token no other test uses (so recorded calls never mix). */
export function fakeBotToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(35));
  const id = 100_000_000 + ((crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % 800_000_000);
  return `${id}:${[...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("")}`;
}

/** The calls the fake received for `token` (optionally one method), oldest first. */
export async function telegramCalls(token: string, method?: string): Promise<RecordedCall[]> {
  const qs = new URLSearchParams({ token, ...(method ? { method } : {}) });
  return (await (await fetch(`${API()}/__calls?${qs}`)).json()) as RecordedCall[];
}

/** Successful calls of `method`, waiting until there are at least `count` of them. */
export async function waitForCalls(
  token: string,
  method: string,
  count: number,
  timeoutMs = 8000,
): Promise<RecordedCall[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls = (await telegramCalls(token, method)).filter((c) => c.status === 200);
    if (calls.length >= count) return calls;
    if (Date.now() > deadline) throw new Error(`${method}: ${calls.length} of ${count} calls arrived`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Makes the next `count` calls of `method` for `token` fail with `status` (429 carries retry_after). */
export async function failNext(
  token: string,
  method: string,
  count: number,
  status: number,
  retryAfter = 1,
): Promise<void> {
  await fetch(`${API()}/__fail`, {
    method: "POST",
    body: JSON.stringify({ token, method, count, status, retry_after: retryAfter }),
  });
}

/** Extra fields the fake's getWebhookInfo reports for `token`. */
export async function setWebhookInfo(token: string, fields: Record<string, unknown>): Promise<void> {
  await fetch(`${API()}/__webhook_info`, { method: "POST", body: JSON.stringify({ token, ...fields }) });
}

export const telegramPath = (tenantId: string) => `/api/v1/tenants/${tenantId}/me/telegram`;
export const webhookPath = (tenantId: string) => `/api/v1/tenants/${tenantId}/telegram/webhook`;

export interface ConnectedBot {
  token: string;
  /** The webhook secret, read from the setWebhook call as Telegram would know it. */
  secret: string;
}

/** Connects a fresh bot for the owner's tenant and returns its token and webhook secret. */
export async function connectBot(owner: Owner, token = fakeBotToken()): Promise<ConnectedBot> {
  const res = await callJson("PUT", telegramPath(owner.tenantId), { bot_token: token }, bearer(owner.token));
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
  const set = (await telegramCalls(token, "setWebhook")).at(-1);
  return { token, secret: String(set?.params.secret_token ?? "") };
}

/** Delivers an update to the webhook as Telegram would. */
export function deliver(tenantId: string, secret: string | undefined, update: unknown): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== undefined) headers["x-telegram-bot-api-secret-token"] = secret;
  const body = typeof update === "string" ? update : JSON.stringify(update);
  return call(webhookPath(tenantId), { method: "POST", headers, body });
}

let updateSeq = Math.floor(Math.random() * 1e6) * 100 + 1;
/** A text message update from a private chat (a fresh update id unless given). */
export function textUpdate(chatId: number, text: string, updateId = updateSeq++): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Ann" },
      from: { id: chatId, is_bot: false, first_name: "Ann", language_code: "en" },
      text,
    },
  };
}

/** A fresh private chat id. */
export function chatId(): number {
  return 10_000_000 + Math.floor(Math.random() * 1e9);
}

/** Waits `ms` (to show that nothing more arrives). */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
