/**
 * The body the model client posts for each combination of model settings: the `thinking` field
 * (enabled, disabled, or left out), the reasoning effort only while thinking, the temperature only while
 * not thinking, and the request's model name over the configured one.
 */
import { describe, expect, it } from "vitest";
import { type ChatRequest, OpenAiCompatibleModel } from "../../src/llm/client.ts";
import { sseChunk as chunk, fakeFetch, scriptedBody } from "../helpers/llm-fetch.ts";

const BODY = [chunk({ content: "ok" }, "stop"), "data: [DONE]\n\n"].join("");
const MESSAGES: ChatRequest["messages"] = [{ role: "user", content: "Hi" }];

/** Streams `req` through a real client against a fake fetch and returns the JSON body it posted. */
async function posted(req: Omit<ChatRequest, "messages">): Promise<Record<string, unknown>> {
  const f = fakeFetch(() => new Response(scriptedBody([BODY]).stream));
  const m = new OpenAiCompatibleModel({
    baseUrl: "https://api.deepseek.com",
    apiKey: "sk-test",
    model: "deepseek-flash",
    fetch: f.impl,
  });
  for await (const _ of m.stream({ messages: MESSAGES, ...req })) {
  }
  expect(f.calls).toHaveLength(1);
  return JSON.parse(String(f.calls[0]?.init?.body)) as Record<string, unknown>;
}

const BASE = { messages: MESSAGES, stream: true, stream_options: { include_usage: true } };

describe("the request payload", () => {
  it("says thinking is disabled, with the temperature, and no effort even if one is set", async () => {
    expect(
      await posted({ thinking: "disabled", reasoningEffort: "max", temperature: 0.5, maxTokens: 2048 }),
    ).toEqual({
      ...BASE,
      model: "deepseek-flash",
      thinking: { type: "disabled" },
      max_tokens: 2048,
      temperature: 0.5,
    });
  });

  it("says thinking is enabled, with the effort, and leaves the temperature out", async () => {
    expect(
      await posted({ thinking: "enabled", reasoningEffort: "low", temperature: 0.3, maxTokens: 900 }),
    ).toEqual({
      ...BASE,
      model: "deepseek-flash",
      thinking: { type: "enabled" },
      reasoning_effort: "low",
      max_tokens: 900,
    });
  });

  it("sends no effort while thinking when none is set (the provider's default)", async () => {
    const body = await posted({ thinking: "enabled", temperature: 1 });
    expect(body.thinking).toEqual({ type: "enabled" });
    expect(body).not.toHaveProperty("reasoning_effort");
    expect(body).not.toHaveProperty("temperature");
  });

  it("omits the thinking field (and the effort) for providers that reject it, keeping the temperature", async () => {
    const body = await posted({ thinking: "omit", reasoningEffort: "high", temperature: 0.7 });
    expect(body).toEqual({ ...BASE, model: "deepseek-flash", temperature: 0.7 });
    // A request that does not say anything about thinking is sent the same way.
    expect(await posted({ temperature: 0.7 })).toEqual(body);
  });

  it("uses the request's model over the configured one", async () => {
    expect((await posted({ model: "deepseek-v4-pro", thinking: "disabled" })).model).toBe("deepseek-v4-pro");
    expect((await posted({ thinking: "disabled" })).model).toBe("deepseek-flash");
    expect((await posted({ model: "", thinking: "disabled" })).model).toBe("deepseek-flash");
  });
});
