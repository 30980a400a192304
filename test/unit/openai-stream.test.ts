import { describe, expect, it } from "vitest";
import { type OpenAiStreamEvent, OpenAiStreamMapper, parseUsage } from "../../src/llm/openai-stream.ts";
import type { SseEvent } from "../../src/llm/sse-parser.ts";

const msg = (data: unknown, event = "message"): SseEvent => ({
  event,
  data: typeof data === "string" ? data : JSON.stringify(data),
});
const delta = (d: Record<string, unknown>, finish: string | null = null) =>
  msg({
    id: "c1",
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta: d, finish_reason: finish }],
  });

/** Usage fields a provider left out (no cache split, no reasoning count). */
const NO_CACHE = { cacheHitTokens: 0, cacheMissTokens: 0, reasoningTokens: 0 };

function run(events: SseEvent[], end = true): OpenAiStreamEvent[] {
  const mapper = new OpenAiStreamMapper();
  const out = events.flatMap((e) => mapper.map(e));
  return end ? [...out, ...mapper.end()] : out;
}

describe("OpenAiStreamMapper", () => {
  it("maps a DeepSeek thinking-mode stream: reasoning counted, never shown", () => {
    const mapper = new OpenAiStreamMapper();
    const events = [
      delta({ role: "assistant", content: null, reasoning_content: "" }),
      delta({ content: null, reasoning_content: "SECRET-THOUGHT " }),
      delta({ content: null, reasoning_content: "more" }),
      delta({ content: "Hel", reasoning_content: null }),
      delta({ content: "lo" }),
      msg({
        choices: [{ index: 0, delta: { content: "" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
      msg("[DONE]"),
    ];
    const out = events.flatMap((e) => mapper.map(e));
    expect(out).toEqual([
      { type: "reasoning", length: 15 },
      { type: "reasoning", length: 4 },
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
      { type: "usage", usage: { ...NO_CACHE, promptTokens: 10, completionTokens: 5, totalTokens: 15 } },
      { type: "done", finishReason: "stop" },
    ]);
    expect(JSON.stringify(out)).not.toContain("SECRET");
    expect(mapper.reasoningChars).toBe(19);
    expect(mapper.end()).toEqual([]);
  });

  it("reads usage from a final chunk with empty choices (OpenAI style) and ignores usage: null", () => {
    const out = run([
      msg({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }], usage: null }),
      delta({}, "length"),
      msg({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } }),
      msg("[DONE]"),
    ]);
    expect(out).toEqual([
      { type: "text", text: "x" },
      { type: "usage", usage: { ...NO_CACHE, promptTokens: 3, completionTokens: 4, totalTokens: 7 } },
      { type: "done", finishReason: "length" },
    ]);
  });

  it("treats delta.reasoning (other gateways) as hidden too", () => {
    expect(run([delta({ reasoning: "hmm" }), msg("[DONE]")])).toEqual([
      { type: "reasoning", length: 3 },
      { type: "done", finishReason: null },
    ]);
  });

  it("answers done at the end of the stream when [DONE] never came but a finish_reason did", () => {
    expect(run([delta({ content: "a" }), delta({}, "stop")])).toEqual([
      { type: "text", text: "a" },
      { type: "done", finishReason: "stop" },
    ]);
  });

  it("answers an error when the stream is cut before any finish", () => {
    const out = run([delta({ content: "a" })]);
    expect(out[1]).toMatchObject({ type: "error", code: "upstream_error" });
    expect(run([])).toEqual([expect.objectContaining({ type: "error", code: "upstream_error" })]);
  });

  it("turns malformed JSON into an upstream_error and stops there", () => {
    const out = run([
      delta({ content: "a" }),
      msg('{"choices": [{"delta": {"content": "b"'),
      delta({ content: "c" }),
    ]);
    expect(out).toEqual([
      { type: "text", text: "a" },
      expect.objectContaining({ type: "error", code: "upstream_error", message: expect.any(String) }),
    ]);
  });

  it.each([["42"], ['"text"'], ["[1,2]"], ["null"]])("rejects a non-object chunk %s", (data) => {
    expect(run([msg(data)], false)).toEqual([
      expect.objectContaining({ type: "error", code: "upstream_error" }),
    ]);
  });

  it("turns an error object in a chunk into an error event, detail for logs only", () => {
    const out = run([
      delta({ content: "a" }),
      msg({ error: { message: "Internal overload, api_key=sk-leak", type: "server_error" } }),
    ]);
    expect(out[0]).toEqual({ type: "text", text: "a" });
    expect(out[1]).toMatchObject({
      type: "error",
      code: "upstream_error",
      message: "the model reported an error",
    });
    const detail = (out[1] as { detail?: string }).detail ?? "";
    expect(detail).toContain("Internal overload");
    expect(detail).not.toContain("sk-leak");
    expect(out).toHaveLength(2);
  });

  it("treats an SSE event named error as an error", () => {
    expect(run([msg({ message: "boom" }, "error")], false)).toEqual([
      expect.objectContaining({ type: "error", code: "upstream_error", detail: "boom" }),
    ]);
  });

  it("ignores empty data, chunks without choices and anything after [DONE]", () => {
    expect(run([msg(""), msg({ id: "x" }), msg("[DONE]"), delta({ content: "late" })])).toEqual([
      { type: "done", finishReason: null },
    ]);
  });
});

describe("parseUsage", () => {
  it("reads counts defensively", () => {
    expect(parseUsage(undefined)).toBeUndefined();
    expect(parseUsage(null)).toBeUndefined();
    expect(parseUsage({ prompt_tokens: "1", completion_tokens: -2, total_tokens: 9 })).toEqual({
      ...NO_CACHE,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 9,
    });
  });

  it("reads DeepSeek's cache split and reasoning tokens", () => {
    const usage = {
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_cache_hit_tokens: 1024,
      prompt_cache_miss_tokens: 176,
      completion_tokens_details: { reasoning_tokens: 220 },
    };
    expect(parseUsage(usage)).toEqual({
      promptTokens: 1200,
      completionTokens: 300,
      totalTokens: 1500,
      cacheHitTokens: 1024,
      cacheMissTokens: 176,
      reasoningTokens: 220,
    });
    expect(run([msg({ choices: [], usage }), msg("[DONE]")])[0]).toMatchObject({
      type: "usage",
      usage: { cacheHitTokens: 1024, cacheMissTokens: 176, reasoningTokens: 220 },
    });
  });

  it("answers 0 for cache and reasoning fields that are absent or malformed", () => {
    expect(
      parseUsage({
        prompt_tokens: 5,
        completion_tokens: 1,
        prompt_cache_hit_tokens: "5",
        prompt_cache_miss_tokens: -1,
        completion_tokens_details: null,
      }),
    ).toEqual({ promptTokens: 5, completionTokens: 1, totalTokens: 6, ...NO_CACHE });
    expect(parseUsage({ completion_tokens_details: { reasoning_tokens: 2.9 } })?.reasoningTokens).toBe(2);
  });
});
