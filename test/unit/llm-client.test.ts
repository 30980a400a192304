import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../src/errors.ts";
import {
  type ChatRequest,
  completeText,
  completionsUrl,
  OpenAiCompatibleModel,
} from "../../src/llm/client.ts";
import type { ModelEvent } from "../../src/llm/types.ts";
import {
  type FetchCall as Call,
  sseChunk as chunk,
  fakeFetch,
  scriptedBody,
  sleep,
} from "../helpers/llm-fetch.ts";

const KEY = "sk-test-SUPERSECRET-0123456789abcdef";
/** Usage fields a provider left out (no cache split, no reasoning count). */
const NO_CACHE = { cacheHitTokens: 0, cacheMissTokens: 0, reasoningTokens: 0 };
const REQ: ChatRequest = { messages: [{ role: "user", content: "Привет" }], maxTokens: 64, temperature: 0.2 };
function model(respond: (call: Call) => Response | Promise<Response>, extra: Record<string, number> = {}) {
  const f = fakeFetch(respond);
  const m = new OpenAiCompatibleModel({
    baseUrl: "https://api.deepseek.com/v1/",
    apiKey: KEY,
    model: "deepseek-v4",
    fetch: f.impl,
    ...extra,
  });
  return { m, calls: f.calls };
}

async function collect(m: OpenAiCompatibleModel, signal?: AbortSignal) {
  const events: ModelEvent[] = [];
  try {
    for await (const event of m.stream(REQ, signal)) events.push(event);
    return { events, error: undefined as unknown };
  } catch (error) {
    return { events, error };
  }
}

function expectAppError(error: unknown, code: string, message?: string): AppError {
  expect(error).toBeInstanceOf(AppError);
  const err = error as AppError;
  expect(err.code).toBe(code);
  if (message) expect(err.message).toBe(message);
  expect(`${err.message} ${String(err)} ${JSON.stringify(err.details ?? {})} ${err.stack}`).not.toContain(
    KEY,
  );
  return err;
}

const FULL = [
  ": keep-alive\n\n",
  chunk({ role: "assistant", content: null, reasoning_content: "hidden thoughts" }),
  ": keep-alive\r\n\r\n",
  chunk({ content: "Здравствуйте, " }),
  chunk({ content: "мир 👋!" }, "stop"),
  `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } })}\n\n`,
  "data: [DONE]\n\n",
].join("");
const EXPECTED: ModelEvent[] = [
  { type: "reasoning", length: 15 },
  { type: "text", text: "Здравствуйте, " },
  { type: "text", text: "мир 👋!" },
  { type: "usage", usage: { ...NO_CACHE, promptTokens: 9, completionTokens: 4, totalTokens: 13 } },
  { type: "done", finishReason: "stop" },
];

describe("OpenAiCompatibleModel", () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    const keep = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(keep);
  });
  afterEach(() => {
    expect(logged.join("\n")).not.toContain(KEY);
    vi.restoreAllMocks();
  });

  it("posts a streaming request to <baseUrl>/chat/completions", async () => {
    const { m, calls } = model(() => new Response(scriptedBody([FULL]).stream));
    expect((await collect(m)).events).toEqual(EXPECTED);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("https://api.deepseek.com/v1/chat/completions");
    const init = calls[0]?.init;
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("authorization")).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(String(init?.body))).toEqual({
      model: "deepseek-v4",
      messages: REQ.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it("calls onOpen once the provider accepted the request, before the first event, and not on an error status", async () => {
    const seen: string[] = [];
    const { m } = model(() => new Response(scriptedBody([FULL]).stream));
    for await (const event of m.stream(REQ, undefined, { onOpen: () => seen.push("open") }))
      seen.push(event.type);
    expect(seen).toEqual(["open", "reasoning", "text", "text", "usage", "done"]);

    let opened = 0;
    const refused = model(() => new Response("slow down", { status: 429 }));
    await expect(
      (async () => {
        for await (const _ of refused.m.stream(REQ, undefined, { onOpen: () => (opened += 1) })) {
        }
      })(),
    ).rejects.toBeInstanceOf(AppError);
    expect(opened).toBe(0);
  });

  it("builds the URL without doubling slashes or paths", () => {
    expect(completionsUrl("https://api.deepseek.com")).toBe("https://api.deepseek.com/chat/completions");
    expect(completionsUrl("https://x.test/v1//")).toBe("https://x.test/v1/chat/completions");
    expect(completionsUrl("https://x.test/v1/chat/completions")).toBe("https://x.test/v1/chat/completions");
  });

  it("decodes multi-byte text split at every byte boundary", async () => {
    const bytes = new TextEncoder().encode(FULL);
    for (let i = 1; i < bytes.length; i += 3) {
      const { m } = model(() => new Response(scriptedBody([bytes.slice(0, i), bytes.slice(i)]).stream));
      expect((await collect(m)).events, `split at byte ${i}`).toEqual(EXPECTED);
    }
    const oneByOne = Array.from(bytes, (b) => Uint8Array.of(b));
    const { m } = model(() => new Response(scriptedBody(oneByOne).stream));
    expect((await collect(m)).events).toEqual(EXPECTED);
  });

  it("completeText gathers the text and usage", async () => {
    const { m } = model(() => new Response(scriptedBody([FULL]).stream));
    expect(await completeText(m, REQ)).toEqual({
      text: "Здравствуйте, мир 👋!",
      usage: { ...NO_CACHE, promptTokens: 9, completionTokens: 4, totalTokens: 13 },
      finishReason: "stop",
    });
  });

  it.each([
    [401, "upstream_error", "the model rejected the API key"],
    [403, "upstream_error", "the model rejected the API key"],
    [402, "upstream_error", "model account has insufficient balance"],
    [400, "upstream_error", undefined],
    [500, "service_unavailable", undefined],
    [503, "service_unavailable", undefined],
  ])("maps status %i to %s", async (status, code, message) => {
    const body = JSON.stringify({
      error: { message: `Authentication Fails, your api key: ${KEY} is invalid` },
    });
    const { m } = model(() => new Response(body, { status }));
    const { events, error } = await collect(m);
    expect(events).toEqual([]);
    expectAppError(error, code, message);
  });

  it("maps 429 to rate_limited with Retry-After in details", async () => {
    const { m } = model(() => new Response("slow down", { status: 429, headers: { "retry-after": "7" } }));
    expect(expectAppError((await collect(m)).error, "rate_limited").details).toEqual({ retryAfter: 7 });
    const bare = model(() => new Response("slow down", { status: 429 }));
    expect(expectAppError((await collect(bare.m)).error, "rate_limited").details).toBeUndefined();
  });

  it("retries once when the connection is lost before any answer", async () => {
    let n = 0;
    const { m, calls } = model(() => {
      n += 1;
      return n === 1
        ? Promise.reject(new TypeError("Network connection lost."))
        : new Response(scriptedBody([FULL]).stream);
    });
    const { events, error } = await collect(m);
    expect(error).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(events).toEqual(EXPECTED);
  });

  it("maps a network failure to service_unavailable without quoting it", async () => {
    const { m, calls } = model(() => Promise.reject(new TypeError(`connect failed (Bearer ${KEY})`)));
    expectAppError((await collect(m)).error, "service_unavailable", "the model could not be reached");
    expect(calls).toHaveLength(2);
  });

  it("times out while connecting and aborts the request", async () => {
    let aborted = false;
    const { m } = model(
      (call) =>
        new Promise<Response>((_, reject) => {
          call.init?.signal?.addEventListener("abort", () => {
            aborted = true;
            reject(new DOMException("aborted", "AbortError"));
          });
        }),
      { connectTimeoutMs: 50 },
    );
    expectAppError((await collect(m)).error, "service_unavailable", "model did not answer in time");
    expect(aborted).toBe(true);
  });

  it("throws when the stream stalls, after the events that did arrive, and cancels the body", async () => {
    const body = scriptedBody([chunk({ content: "partial" }), "stall"]);
    const { m } = model(() => new Response(body.stream), { idleTimeoutMs: 50 });
    const { events, error } = await collect(m);
    expect(events).toEqual([{ type: "text", text: "partial" }]);
    expectAppError(error, "service_unavailable", "model stream stalled");
    expect(body.state.cancelled).toBe(true);
  });

  it("keeps waiting while keep-alive comments arrive", async () => {
    const pings = Array.from({ length: 8 }, () => [25, ": keep-alive\n\n"]).flat();
    const body = scriptedBody([...pings, chunk({ content: "ok" }, "stop"), "data: [DONE]\n\n"]);
    const { m } = model(() => new Response(body.stream), { idleTimeoutMs: 150 });
    expect((await collect(m)).events).toEqual([
      { type: "text", text: "ok" },
      { type: "done", finishReason: "stop" },
    ]);
  });

  it("does not count the consumer's own time (a command running) as a stall", async () => {
    const body = scriptedBody([chunk({ content: "a" }), chunk({ content: "b" }, "stop"), "data: [DONE]\n\n"]);
    const { m } = model(() => new Response(body.stream), { idleTimeoutMs: 60 });
    const seen: ModelEvent[] = [];
    for await (const event of m.stream(REQ)) {
      seen.push(event);
      if (event.type === "text" && event.text === "a") await sleep(150);
    }
    expect(seen.map((e) => e.type)).toEqual(["text", "text", "done"]);
  });

  it("arms one idle timer per stream, not one per chunk", async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => chunk({ content: `p${i}` }));
    const body = scriptedBody([...pieces, chunk({ content: "." }, "stop"), "data: [DONE]\n\n"]);
    const { m } = model(() => new Response(body.stream));
    const timers = vi.spyOn(globalThis, "setTimeout");
    const { events } = await collect(m);
    expect(events).toHaveLength(42);
    // connect's deadline and the stream's idle watch; scriptedBody itself sets none for plain pieces
    expect(timers.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it("throws upstream_error for a stream cut short and for an error inside the stream", async () => {
    const cut = model(() => new Response(scriptedBody([chunk({ content: "a" })]).stream));
    const first = await collect(cut.m);
    expect(first.events).toEqual([{ type: "text", text: "a" }]);
    expectAppError(first.error, "upstream_error");
    const inBand = `data: ${JSON.stringify({ error: { message: `bad key ${KEY}` } })}\n\n`;
    const failed = model(() => new Response(scriptedBody([chunk({ content: "a" }), inBand]).stream));
    expectAppError((await collect(failed.m)).error, "upstream_error", "the model reported an error");
    const garbage = model(() => new Response(scriptedBody(["data: {oops\n\n"]).stream));
    expectAppError((await collect(garbage.m)).error, "upstream_error");
  });

  it("stops reading and cancels the body when the caller aborts", async () => {
    const body = scriptedBody([chunk({ content: "first" }), "stall"]);
    const { m } = model(() => new Response(body.stream));
    const controller = new AbortController();
    const iterator = m.stream(REQ, controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: "text", text: "first" });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await sleep(0);
    expect(body.state.cancelled).toBe(true);
  });

  it("does not call the model when the signal is already aborted", async () => {
    const { m, calls } = model(() => new Response(scriptedBody([FULL]).stream));
    const { error } = await collect(m, AbortSignal.abort());
    expect(error).toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(0);
  });

  it("cancels the body when the consumer stops early", async () => {
    const body = scriptedBody([chunk({ content: "a" }), chunk({ content: "b" }), "stall"]);
    const { m } = model(() => new Response(body.stream));
    for await (const event of m.stream(REQ)) {
      expect(event).toEqual({ type: "text", text: "a" });
      break;
    }
    expect(body.state.cancelled).toBe(true);
  });

  it("refuses to run without an API key", async () => {
    const m = new OpenAiCompatibleModel({ baseUrl: "https://x.test", apiKey: "", model: "m" });
    expectAppError((await collect(m)).error, "misconfigured");
  });
});
