/**
 * A turn under the tenant's model settings: visitor turns tell the model not to think unless the tenant
 * turned thinking on; then the model gets `thinking: enabled` (with the effort, without temperature) and
 * the stream says `thinking` once before the first token, never the reasoning itself (SSE, JSON, stored
 * message, Telegram). Usage keeps the cache-hit and cache-miss prompt tokens, and the report prices hits
 * at the cached input price.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "../../src/llm/factory.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { getUsage, putBudget, usageAfter } from "../helpers/budget.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { callJson } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { dialogIdOf, type ReadEvent, readSse, tokensText } from "../helpers/sse.ts";
import { chatId, connectBot, deliver, telegramCalls, textUpdate, waitForCalls } from "../helpers/telegram.ts";

const REASONING = "SECRET-REASONING: the visitor must never read this line.";
const PLATFORM_MODEL = env.DEEPSEEK_MODEL || DEFAULT_MODEL;

async function setModel(owner: Owner, body: unknown): Promise<void> {
  const res = await callJson("PUT", `/api/v1/tenants/${owner.tenantId}/me/model`, body, bearer(owner.token));
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The last request body the fake model received for a script tag. */
async function lastRequest(tag: string): Promise<Record<string, unknown>> {
  const requests = (await requestsFor(tag)) as unknown as Array<Record<string, unknown>>;
  const last = requests.at(-1);
  if (!last) throw new Error("the model received no request");
  return last;
}

const names = (events: ReadEvent[]) => events.map((e) => e.event);

describe("model settings in a turn", () => {
  it("a visitor turn tells the model not to think by default, with today's length and temperature", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "Quick answer." });
    const events = await readSse(await chat(owner.tenantId, { user_id: visitor(), message: tag }));
    expect(tokensText(events)).toBe("Quick answer.");
    expect(names(events)).not.toContain("thinking");
    const req = await lastRequest(tag);
    expect(req).toMatchObject({
      model: PLATFORM_MODEL,
      thinking: { type: "disabled" },
      max_tokens: 2048,
      temperature: 0.5,
    });
    expect(req).not.toHaveProperty("reasoning_effort");
  });

  it("with the tenant's thinking on: enabled with the effort, one thinking event first, no reasoning text", async () => {
    const owner = await seedOwner();
    const user = visitor();
    const tag = await script({
      reply: "Thought-through answer.",
      reasoning: REASONING,
      thinkMs: 120,
      chunkSize: 5,
    });
    // A dialog that already ran a turn picks the change up on its next turn (the snapshot is dropped).
    const first = await readSse(await chat(owner.tenantId, { user_id: user, message: `first ${tag}` }));
    expect((await lastRequest(tag)).thinking).toEqual({ type: "disabled" });
    await setModel(owner, {
      chat: {
        model: "deepseek-v4-pro",
        thinking: true,
        reasoning_effort: "high",
        temperature: 0.9,
        max_tokens: 600,
      },
    });

    const res = await chat(owner.tenantId, { user_id: user, message: tag, dialog_id: dialogIdOf(first) });
    const raw = await res.text();
    const events = await readSse(new Response(raw));
    const req = await lastRequest(tag);
    expect(req).toMatchObject({
      model: "deepseek-v4-pro",
      thinking: { type: "enabled" },
      reasoning_effort: "high",
      max_tokens: 600,
    });
    expect(req).not.toHaveProperty("temperature");

    const thinking = events.filter((e) => e.event === "thinking");
    expect(thinking).toHaveLength(1);
    expect(thinking[0]?.data).toEqual({});
    expect(names(events).indexOf("thinking")).toBeLessThan(names(events).indexOf("token"));
    expect(names(events)[0]).toBe("meta");
    expect(tokensText(events)).toBe("Thought-through answer.");
    expect(raw).not.toContain("SECRET-REASONING");

    const rows = await storedMessages(dialogIdOf(events), 4);
    expect(rows[3]?.content).toBe("Thought-through answer.");
    expect(JSON.stringify(rows)).not.toContain("SECRET-REASONING");
  });

  it("the JSON route answers the reply alone when the model thinks", async () => {
    const owner = await seedOwner();
    await setModel(owner, { chat: { thinking: true } });
    const tag = await script({ reply: "Only this.", reasoning: REASONING, thinkMs: 60 });
    const res = await chatJson(owner.tenantId, { user_id: visitor(), message: tag });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ reply: "Only this.", status: "complete" });
    expect(text).not.toContain("SECRET-REASONING");
    expect((await lastRequest(tag)).thinking).toEqual({ type: "enabled" });
  });

  it("the setup chat uses its own settings: the platform's by default, the tenant's when set", async () => {
    const owner = await seedOwner();
    const path = `/api/v1/tenants/${owner.tenantId}/admin/chat/message`;
    const tag = await script({ reply: "Done." });
    expect((await callJson("POST", path, { message: tag }, bearer(owner.token))).status).toBe(200);
    // The test platform leaves DEEPSEEK_THINKING unset: disabled.
    expect(await lastRequest(tag)).toMatchObject({ thinking: { type: "disabled" }, temperature: 0.3 });

    await setModel(owner, { admin: { thinking: true, reasoning_effort: "max" }, chat: { temperature: 1.5 } });
    expect((await callJson("POST", path, { message: tag }, bearer(owner.token))).status).toBe(200);
    const req = await lastRequest(tag);
    expect(req).toMatchObject({
      thinking: { type: "enabled" },
      reasoning_effort: "max",
      model: PLATFORM_MODEL,
    });
    expect(req).not.toHaveProperty("temperature");
  });

  it("Telegram sends the reply alone and keeps its typing action while the model thinks", async () => {
    const owner = await seedOwner();
    await setModel(owner, { chat: { thinking: true } });
    const bot = await connectBot(owner);
    const tag = await script({ reply: "Telegram answer.", reasoning: REASONING, thinkMs: 200 });
    await deliver(owner.tenantId, bot.secret, textUpdate(chatId(), tag));
    const [sent] = await waitForCalls(bot.token, "sendMessage", 1);
    expect(String(sent?.params.text)).toBe("Telegram answer.");
    expect((await telegramCalls(bot.token, "sendChatAction")).length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(await telegramCalls(bot.token))).not.toContain("SECRET-REASONING");
    expect((await lastRequest(tag)).thinking).toEqual({ type: "enabled" });
  });
});

describe("cache-hit usage", () => {
  it("records cache-hit and cache-miss prompt tokens per reply and prices hits at the cached price", async () => {
    const owner = await seedOwner();
    const tag = await script({
      reply: "Cached.",
      usage: { prompt_tokens: 1000, completion_tokens: 50, prompt_cache_hit_tokens: 768 },
    });
    const user = visitor();
    const first = await chatJson(owner.tenantId, { user_id: user, message: tag });
    const { dialog_id } = (await first.json()) as { dialog_id: string };
    await chatJson(owner.tenantId, { user_id: user, message: tag, dialog_id });
    const rows = await usageAfter(owner.tenantId, 2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      promptTokens: 2000,
      cacheHitTokens: 1536,
      cacheMissTokens: 464,
      completionTokens: 100,
      replies: 2,
    });
    const stored = await storedMessages(dialog_id, 4);
    expect(stored[1]?.usage).toMatchObject({ promptTokens: 1000, cacheHitTokens: 768, cacheMissTokens: 232 });

    const prices = { input_price_per_million: 1, output_price_per_million: 2, currency: "USD" };
    await putBudget(owner, { ...prices, cached_input_price_per_million: 0.1 });
    const report = (await (await getUsage(owner)).json()) as {
      totals: { prompt_tokens: number; cache_hit_tokens: number; cost: number };
    };
    // 464 misses × 1 + 1536 hits × 0.1 + 100 completion × 2, per million.
    expect(report.totals).toMatchObject({ prompt_tokens: 2000, cache_hit_tokens: 1536, cost: 0.000818 });
    await putBudget(owner, prices);
    const plain = (await (await getUsage(owner)).json()) as { totals: { cost: number } };
    // Without a cached price every prompt token costs the input price.
    expect(plain.totals.cost).toBe(0.0022);
  });
});
