/**
 * A small Telegram Bot API client: `POST ${baseUrl}/bot${token}/${method}` with a JSON body, answers
 * `{ok, result}` / `{ok: false, error_code, description, parameters: {retry_after}}`. 429 (honouring
 * `retry_after`, capped), 5xx and network failures are retried a bounded number of times; other errors
 * throw at once. The token lives only in the request URL: no error message or log line carries it.
 */
import { redact } from "../../lib/redact.ts";

/** How failed calls are retried; every field is injectable so tests can keep the waits short. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` calls at most). */
  retries: number;
  /** Backoff for 5xx and network failures: `baseDelayMs * 2^attempt`. */
  baseDelayMs: number;
  /** Cap on any single wait, `retry_after` included. */
  maxDelayMs: number;
  /** Per-attempt time limit. */
  timeoutMs: number;
}

/** Production defaults: 3 retries, 0.5 s / 1 s / 2 s backoff, `retry_after` honoured up to 10 s. */
export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  timeoutMs: 15_000,
};
/** For cosmetic calls (typing indicator): one attempt, short time limit. */
export const NO_RETRY: RetryPolicy = { retries: 0, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 5_000 };

/** A Bot API call that failed for good. `status` is Telegram's error_code (0: no HTTP answer). */
export class BotApiError extends Error {
  override readonly name = "BotApiError";
  constructor(
    readonly method: string,
    readonly status: number,
    readonly description: string,
    readonly attempts: number,
  ) {
    super(`Telegram ${method} failed (${status || "network"}): ${description}`);
  }

  /** Telegram refused the token itself (revoked or wrong). */
  get unauthorized(): boolean {
    return this.status === 401 || this.status === 404;
  }
}

export interface BotApiOptions {
  baseUrl: string;
  token: string;
  retry?: RetryPolicy;
  fetcher?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Calls one bot's API methods. */
export interface BotApi {
  call<T>(method: string, params?: Record<string, unknown>, retry?: RetryPolicy): Promise<T>;
}

interface Envelope {
  ok?: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A client for the bot with `token` at `baseUrl` (TELEGRAM_API_URL). */
export function createBotApi(options: BotApiOptions): BotApi {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetcher ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  // The shared redactor misses a token glued to "bot" in a URL, so the token itself is cut out first.
  const scrub = (text: string) => redact(text.split(options.token).join("[redacted-bot-token]"));

  async function attempt(method: string, params: Record<string, unknown>, timeoutMs: number) {
    try {
      const res = await doFetch(`${base}/bot${options.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await res.json().catch(() => ({}))) as Envelope;
      return { status: res.status, body };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { status: 0, body: { description: scrub(reason).slice(0, 200) } as Envelope };
    }
  }

  return {
    async call<T>(method: string, params: Record<string, unknown> = {}, retry = options.retry) {
      const policy = retry ?? DEFAULT_RETRY;
      for (let n = 0; ; n++) {
        const { status, body } = await attempt(method, params, policy.timeoutMs);
        if (status >= 200 && status < 300 && body.ok === true) return body.result as T;
        const code = body.error_code ?? status;
        const description = scrub(String(body.description ?? `HTTP ${status}`)).slice(0, 300);
        const retryable = code === 429 || code === 0 || code >= 500;
        if (!retryable || n >= policy.retries) throw new BotApiError(method, code, description, n + 1);
        const wanted =
          code === 429 && typeof body.parameters?.retry_after === "number"
            ? body.parameters.retry_after * 1000
            : policy.baseDelayMs * 2 ** n;
        await sleep(Math.min(Math.max(0, wanted), policy.maxDelayMs));
      }
    },
  };
}
