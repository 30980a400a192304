import { describe, expect, it } from "vitest";
import { BotApiError, createBotApi, type RetryPolicy } from "../../src/services/telegram/bot-api.ts";

const TOKEN = "123456789:AAE_secretsecretsecretsecretsecret00";
const FAST: RetryPolicy = { retries: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 1000 };

/** A fetch that answers from a list and records each URL and body. */
function scripted(answers: Array<[number, unknown] | Error>) {
  const seen: Array<{ url: string; body: unknown }> = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), body: JSON.parse(String(init?.body)) });
    const next = answers.shift() ?? [500, { ok: false, error_code: 500, description: "exhausted" }];
    if (next instanceof Error) throw next;
    return Response.json(next[1], { status: next[0] });
  }) as typeof fetch;
  return { seen, fetcher };
}

function client(answers: Array<[number, unknown] | Error>, waits: number[] = []) {
  const { seen, fetcher } = scripted(answers);
  const sleep = async (ms: number) => void waits.push(ms);
  return {
    seen,
    api: createBotApi({ baseUrl: "https://tg.example/", token: TOKEN, retry: FAST, fetcher, sleep }),
  };
}

describe("Bot API client", () => {
  it("posts JSON to /bot<token>/<method> and returns the result", async () => {
    const { api, seen } = client([[200, { ok: true, result: { id: 1, username: "x_bot" } }]]);
    expect(await api.call("getMe")).toEqual({ id: 1, username: "x_bot" });
    expect(seen).toEqual([{ url: `https://tg.example/bot${TOKEN}/getMe`, body: {} }]);
  });

  it("honours retry_after on 429, capped, and backs off on 5xx and network failures", async () => {
    const waits: number[] = [];
    const tooMany = (after: number) =>
      [
        429,
        { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: after } },
      ] as [number, unknown];
    const { api, seen } = client(
      [
        tooMany(0.02),
        tooMany(30),
        new TypeError("Network connection lost"),
        [200, { ok: true, result: true }],
      ],
      waits,
    );
    expect(await api.call("sendMessage", { chat_id: 1, text: "hi" })).toBe(true);
    expect(seen).toHaveLength(4);
    expect(waits).toEqual([20, 50, 40]);
  });

  it("gives up after the bounded retries with an error that carries no token", async () => {
    const { api, seen } = client([]);
    const err = await api.call("sendMessage", { chat_id: 1, text: "hi" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotApiError);
    expect(seen).toHaveLength(FAST.retries + 1);
    expect((err as BotApiError).status).toBe(500);
    expect((err as BotApiError).attempts).toBe(4);
    expect(String((err as Error).message)).not.toContain("secretsecret");
  });

  it("does not retry other client errors, and flags a refused token", async () => {
    const { api, seen } = client([[401, { ok: false, error_code: 401, description: "Unauthorized" }]]);
    const err = (await api.call("getMe").catch((e: unknown) => e)) as BotApiError;
    expect(seen).toHaveLength(1);
    expect(err.unauthorized).toBe(true);
    const bad = client([[400, { ok: false, error_code: 400, description: "Bad Request: chat not found" }]]);
    const e2 = (await bad.api.call("sendMessage").catch((e: unknown) => e)) as BotApiError;
    expect([bad.seen.length, e2.status, e2.description]).toEqual([1, 400, "Bad Request: chat not found"]);
  });

  it("scrubs a token out of a network error message", async () => {
    const { api } = client(
      Array(4).fill(new TypeError(`fetch to https://tg.example/bot${TOKEN}/getMe failed`)),
    );
    const err = (await api.call("getMe").catch((e: unknown) => e)) as BotApiError;
    expect(err.status).toBe(0);
    expect(err.message).not.toContain("secretsecret");
  });
});
