/**
 * What a chat model hands back while it streams, independent of the provider. A stream of `ModelEvent`s
 * ends with exactly one `done`; failures are not events but a thrown `AppError` (see `ChatModel`).
 */
import type { ErrorCode } from "../errors.ts";

/** Token counts the provider reported for one completion. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /**
   * Prompt tokens served from the provider's context cache (DeepSeek's `prompt_cache_hit_tokens`, billed
   * far lower) and the rest of the prompt (`prompt_cache_miss_tokens`); 0 when the provider says nothing.
   */
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** Completion tokens spent on hidden reasoning (`completion_tokens_details.reasoning_tokens`); 0 if unsaid. */
  reasoningTokens: number;
}

export type ModelEvent =
  /** Visible answer text, in order. */
  | { type: "text"; text: string }
  /**
   * The model is thinking: `length` characters of hidden reasoning arrived. The reasoning itself is never
   * carried, so it cannot leak to a visitor; the event only says the model is alive (for pings, metrics).
   */
  | { type: "reasoning"; length: number }
  | { type: "usage"; usage: Usage }
  /** The completion finished; `finishReason` as the provider said it ("stop", "length", ...), if it did. */
  | { type: "done"; finishReason: string | null };

/** A failure found while mapping a provider stream; `detail` is for logs only, never for a visitor. */
export interface ModelErrorEvent {
  type: "error";
  code: ErrorCode;
  message: string;
  detail?: string;
}
