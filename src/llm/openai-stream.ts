/**
 * Maps the SSE events of an OpenAI-compatible `/chat/completions` stream (DeepSeek included) to
 * `ModelEvent`s. Pure and stateful: one `OpenAiStreamMapper` per response.
 *
 * Decisions:
 * - `choices[0].delta.content` becomes `text`. Hidden reasoning (`delta.reasoning_content`, DeepSeek's
 *   thinking mode, or `delta.reasoning`, used by some other gateways) is never emitted as text: it becomes
 *   `{type: "reasoning", length}` (the character count only) and is summed in `reasoningChars`.
 * - A `usage` object (DeepSeek: on the final chunk, possibly with `choices: []`) becomes `usage`, with
 *   DeepSeek's cache split (`prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`) and the reasoning
 *   tokens when present (0 otherwise); `usage: null` (sent by OpenAI on every chunk) is ignored.
 * - `data: [DONE]` becomes `done` with the last `finish_reason` seen. If the stream ends without `[DONE]`,
 *   `end()` still answers `done` when a `finish_reason` was seen (the answer is complete); otherwise the
 *   stream was cut short and `end()` answers an `upstream_error`.
 * - Malformed JSON, a non-object chunk, an `error` object in a chunk or an SSE event named `error` become an
 *   `error` event with code `upstream_error`. `done` and `error` are final: later events are ignored.
 */
import { redact } from "../lib/redact.ts";
import type { SseEvent } from "./sse-parser.ts";
import type { ModelErrorEvent, ModelEvent, Usage } from "./types.ts";

/** What the mapper answers: model events, or an error that ends the stream. */
export type OpenAiStreamEvent = ModelEvent | ModelErrorEvent;

const DETAIL_MAX = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

/** Reads an OpenAI-style `usage` object; `undefined` when there is none. */
export function parseUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const promptTokens = count(value.prompt_tokens);
  const completionTokens = count(value.completion_tokens);
  const total = count(value.total_tokens);
  const details = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : {};
  return {
    promptTokens,
    completionTokens,
    totalTokens: total || promptTokens + completionTokens,
    cacheHitTokens: count(value.prompt_cache_hit_tokens),
    cacheMissTokens: count(value.prompt_cache_miss_tokens),
    reasoningTokens: count(details.reasoning_tokens),
  };
}

function errorDetail(value: unknown): string {
  let text: string;
  if (isRecord(value) && typeof value.message === "string") text = value.message;
  else if (typeof value === "string") text = value;
  else text = JSON.stringify(value) ?? "";
  return redact(text.slice(0, DETAIL_MAX));
}

export class OpenAiStreamMapper {
  /** Characters of hidden reasoning seen so far. */
  reasoningChars = 0;
  private finished = false;
  private finishReason: string | null = null;

  /** Maps one SSE event of the stream. */
  map(event: SseEvent): OpenAiStreamEvent[] {
    if (this.finished) return [];
    const data = event.data.trim();
    if (data === "[DONE]") return this.finish({ type: "done", finishReason: this.finishReason });
    if (data === "") return [];
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return this.fail("the model sent a malformed stream chunk", data.slice(0, DETAIL_MAX));
    }
    if (!isRecord(chunk))
      return this.fail("the model sent a malformed stream chunk", data.slice(0, DETAIL_MAX));
    if (event.event === "error" || (chunk.error !== undefined && chunk.error !== null)) {
      return this.fail("the model reported an error", errorDetail(chunk.error ?? chunk));
    }
    const out: OpenAiStreamEvent[] = [];
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (isRecord(choice)) {
      const delta = choice.delta;
      if (isRecord(delta)) {
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === "string" && reasoning.length > 0) {
          this.reasoningChars += reasoning.length;
          out.push({ type: "reasoning", length: reasoning.length });
        }
        if (typeof delta.content === "string" && delta.content.length > 0) {
          out.push({ type: "text", text: delta.content });
        }
      }
      if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    }
    const usage = parseUsage(chunk.usage);
    if (usage) out.push({ type: "usage", usage });
    return out;
  }

  /** The stream ended (no more bytes): `done` if the answer was complete, else an error. */
  end(): OpenAiStreamEvent[] {
    if (this.finished) return [];
    if (this.finishReason !== null) return this.finish({ type: "done", finishReason: this.finishReason });
    return this.fail("the model stream ended before the answer was complete");
  }

  private finish(event: OpenAiStreamEvent): OpenAiStreamEvent[] {
    this.finished = true;
    return [event];
  }

  private fail(message: string, detail?: string): OpenAiStreamEvent[] {
    const event: ModelErrorEvent = { type: "error", code: "upstream_error", message };
    if (detail) event.detail = detail;
    return this.finish(event);
  }
}
