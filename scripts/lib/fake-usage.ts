/**
 * The fake model's token accounting, shaped like DeepSeek's final usage chunk: `prompt_cache_hit_tokens` +
 * `prompt_cache_miss_tokens` = `prompt_tokens`, and `completion_tokens` includes
 * `completion_tokens_details.reasoning_tokens`. Counts are estimates (one token per 4 characters); the cache
 * is deliberately simple: the system messages are a hit when this fake has seen exactly that system text
 * before (DeepSeek caches a repeated prefix, and CIP's prefix is the system prompt), everything else misses.
 */
import { createHash } from "node:crypto";

/** What a script may pin; omitted fields are estimated. */
export interface UsageOverride {
  prompt_tokens: number;
  completion_tokens: number;
  /** Default 0 when the script pins usage, so pinned numbers never depend on earlier requests. */
  prompt_cache_hit_tokens?: number;
  /** Default: the estimated reasoning tokens, capped at completion_tokens. */
  reasoning_tokens?: number;
}

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
}

interface Message {
  role?: string;
  content?: unknown;
}

/** Estimated tokens of a text: one per 4 characters, rounded up. */
export function tokensOf(text: string): number {
  return Math.ceil([...text].length / 4);
}

const text = (m: Message) => (typeof m.content === "string" ? m.content : "");

/** Remembers the system texts seen (as hashes, bounded) to report cache hits for a repeated prefix. */
export class PromptCache {
  private readonly seen = new Set<string>();
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  /** Prompt tokens of the request and how many of them hit the cache; records the system text. */
  account(messages: readonly Message[]): { prompt: number; hit: number } {
    const systems = messages.filter((m) => m.role === "system").map(text);
    const prompt = messages.reduce((sum, m) => sum + tokensOf(text(m)), 0);
    if (systems.length === 0) return { prompt, hit: 0 };
    const key = createHash("sha256").update(JSON.stringify(systems)).digest("hex");
    const hit = this.seen.has(key) ? systems.reduce((sum, s) => sum + tokensOf(s), 0) : 0;
    if (this.seen.size >= this.limit) this.seen.clear();
    this.seen.add(key);
    return { prompt, hit };
  }
}

/** The usage chunk: estimates, or the script's pinned numbers. */
export function usageOf(
  estimate: { prompt: number; hit: number; reply: string; reasoningTokens: number },
  pinned?: UsageOverride,
): WireUsage {
  const prompt = pinned?.prompt_tokens ?? estimate.prompt;
  const completion =
    pinned?.completion_tokens ?? Math.max(1, tokensOf(estimate.reply)) + estimate.reasoningTokens;
  const hit = Math.min(prompt, pinned ? (pinned.prompt_cache_hit_tokens ?? 0) : estimate.hit);
  const reasoning = Math.min(completion, pinned?.reasoning_tokens ?? estimate.reasoningTokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_cache_hit_tokens: hit,
    prompt_cache_miss_tokens: prompt - hit,
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}
