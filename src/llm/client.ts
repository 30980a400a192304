/**
 * The chat model seam and its real implementation for any OpenAI-compatible `/chat/completions` endpoint
 * (DeepSeek by default).
 *
 * Error signalling: `stream()` yields only `text`, `reasoning`, `usage` and `done`, and a successful stream
 * always ends with exactly one `done`. Every failure, before or in the middle of the stream, is thrown from
 * the iterator as an `AppError` (bad status, connect timeout, stalled stream, malformed or cut-short stream,
 * an error reported inside the stream); callers know it was mid-stream if they already saw events.
 * An abort through the caller's signal is not an `AppError`: the iterator rejects with the signal's reason
 * (an `AbortError` by default), stops reading and cancels the response body.
 */
import { AppError } from "../errors.ts";
import { log } from "../lib/log.ts";
import { ModelBodyReader } from "./body-reader.ts";
import { abortReason, statusError, within } from "./http.ts";
import type { ModelEvent, Usage } from "./types.ts";

export type { ModelEvent, Usage } from "./types.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * How the request speaks about thinking: `enabled`/`disabled` send `"thinking": {"type": ...}` (DeepSeek V4
 * thinks unless told `disabled`); `omit` sends no such field, for OpenAI-compatible providers that reject
 * fields they do not know.
 */
export type ThinkingMode = "enabled" | "disabled" | "omit";

/** DeepSeek's reasoning effort (`reasoning_effort`), used only while thinking is enabled. */
export type ReasoningEffort = "low" | "high" | "max";

export interface ChatRequest {
  messages: ChatMessage[];
  /** Overrides the configured model name for this request. */
  model?: string;
  /** Left out: as `omit`. */
  thinking?: ThinkingMode;
  reasoningEffort?: ReasoningEffort;
  maxTokens?: number;
  /** Not sent while thinking is enabled: a thinking model ignores it. */
  temperature?: number;
}

/** What a caller may want to hear about a model stream besides its events. */
export interface StreamHooks {
  /** Called once when the provider has accepted the request (a 2xx status), before any event. */
  onOpen?: () => void;
}

/** A streaming chat model. Failures are thrown from the iterator as `AppError`, never yielded. */
export interface ChatModel {
  stream(req: ChatRequest, signal?: AbortSignal, hooks?: StreamHooks): AsyncIterable<ModelEvent>;
}

export interface OpenAiCompatibleOptions {
  /** E.g. `https://api.deepseek.com` or `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Longest wait for the response headers. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait between two body chunks (keep-alive comments count). Default 30 000 ms. */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** `${baseUrl}/chat/completions`, without a doubled slash or path. */
export function completionsUrl(baseUrl: string): string {
  const base = baseUrl.trim().replace(/\/+$/, "");
  return base.endsWith("/chat/completions") ? base : `${base}/chat/completions`;
}

export class OpenAiCompatibleModel implements ChatModel {
  private readonly url: string;
  private readonly apiKey: string;
  private readonly model: string;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OpenAiCompatibleOptions) {
    this.url = completionsUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    this.model = options.model;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async *stream(
    req: ChatRequest,
    signal?: AbortSignal,
    hooks?: StreamHooks,
  ): AsyncGenerator<ModelEvent, void, undefined> {
    if (!this.apiKey) throw new AppError("misconfigured", "the model API key is not set");
    if (signal?.aborted) throw abortReason(signal);
    const controller = new AbortController();
    const forward = () => controller.abort(signal ? abortReason(signal) : undefined);
    signal?.addEventListener("abort", forward, { once: true });
    try {
      const body = await this.connect(req, controller, signal);
      hooks?.onOpen?.();
      const reader = new ModelBodyReader(body, this.idleTimeoutMs, signal);
      try {
        while (!reader.ended) {
          for (const event of await reader.next()) {
            if (event.type === "error") {
              const detail = this.scrub(event.detail ?? "");
              log("warn", "model stream failed", { url: this.url, error: event.message, detail });
              throw new AppError(event.code, event.message);
            }
            yield event;
            if (event.type === "done") return;
          }
        }
      } finally {
        reader.close();
      }
    } finally {
      signal?.removeEventListener("abort", forward);
    }
  }

  private async connect(
    req: ChatRequest,
    controller: AbortController,
    signal?: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const payload = requestPayload(req, this.model);
    const doFetch = this.fetchImpl;
    const timedOut = () => new AppError("service_unavailable", "model did not answer in time");
    const send = () =>
      doFetch(this.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          "content-type": "application/json",
          accept: "text/event-stream",
        },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await within(send(), this.connectTimeoutMs, timedOut, signal);
      } catch (err) {
        if (signal?.aborted) throw abortReason(signal);
        const detail = this.scrub(String(err));
        // A connection lost before any answer (a reused keep-alive socket the server just closed)
        // has sent the model nothing it acted on: one immediate retry is safe.
        if (!(err instanceof AppError) && attempt < 2) {
          log("warn", "model connection lost before an answer; retrying once", {
            url: this.url,
            error: detail,
          });
          continue;
        }
        controller.abort();
        if (err instanceof AppError) throw err;
        log("warn", "model request failed", { url: this.url, error: detail });
        throw new AppError("service_unavailable", "the model could not be reached");
      }
    }
    if (!response.ok) {
      const text = await within(response.text(), 1_000, timedOut).catch(() => "");
      log("warn", "model answered with an error", {
        url: this.url,
        status: response.status,
        body: this.scrub(text.slice(0, 500)),
      });
      controller.abort();
      throw statusError(response.status, response.headers.get("retry-after"));
    }
    if (!response.body) throw new AppError("upstream_error", "the model sent an empty response");
    return response.body;
  }

  /** Removes our API key from text meant for logs (the log layer scrubs common secret shapes as well). */
  private scrub(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join("[redacted]") : text;
  }
}

/** The JSON body of a streaming `/chat/completions` call for `req` (`model`: the configured name). */
export function requestPayload(req: ChatRequest, model: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    model: req.model || model,
    messages: req.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const thinking = req.thinking ?? "omit";
  if (thinking !== "omit") payload.thinking = { type: thinking };
  if (thinking === "enabled" && req.reasoningEffort) payload.reasoning_effort = req.reasoningEffort;
  if (req.maxTokens !== undefined) payload.max_tokens = req.maxTokens;
  // DeepSeek ignores temperature while thinking; sending it would only suggest it matters.
  if (thinking !== "enabled" && req.temperature !== undefined) payload.temperature = req.temperature;
  return payload;
}

/** The whole answer of a non-streaming use. */
export interface CompletedText {
  text: string;
  usage: Usage | null;
  finishReason: string | null;
}

/** Consumes a model stream and returns its text and usage; failures are thrown as by `stream()`. */
export async function completeText(
  model: ChatModel,
  req: ChatRequest,
  signal?: AbortSignal,
): Promise<CompletedText> {
  let text = "";
  let usage: Usage | null = null;
  let finishReason: string | null = null;
  for await (const event of model.stream(req, signal)) {
    if (event.type === "text") text += event.text;
    else if (event.type === "usage") usage = event.usage;
    else if (event.type === "done") finishReason = event.finishReason;
  }
  return { text, usage, finishReason };
}
