import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env.ts";

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next attempt can pass (0 when allowed). */
  retryAfter: number;
  remaining: number;
}

/**
 * An exact counter for one key (e.g. "pwfail:email:<tenant>:<e-mail>", hashed into the object's name), as
 * a fixed window kept in the object's SQLite-backed storage so it survives eviction. One object per key
 * keeps every check a single in-memory step with no cross-key contention. The Workers rate-limit binding
 * counts per location, so it cannot give exact per-account limits.
 */
export class RateLimiter extends DurableObject<Bindings> {
  /** Counts one attempt against `limit` per `windowSeconds`. Never throws (results cross RPC). */
  hit(limit: number, windowSeconds: number, now = Date.now()): RateDecision {
    const windowMs = Math.max(1, windowSeconds) * 1000;
    const kv = this.ctx.storage.kv;
    const state = kv.get<{ start: number; count: number }>("window");
    const current = state && now - state.start < windowMs ? state : { start: now, count: 0 };
    if (current.count >= limit) {
      return {
        allowed: false,
        retryAfter: Math.max(1, Math.ceil((current.start + windowMs - now) / 1000)),
        remaining: 0,
      };
    }
    current.count += 1;
    kv.put("window", current);
    return { allowed: true, retryAfter: 0, remaining: limit - current.count };
  }

  /**
   * Takes back one counted attempt (an attempt reserved by `hit` that turned out not to count, e.g. a
   * right password). A window that has ended restarts at the next `hit` anyway.
   */
  undo(): void {
    const kv = this.ctx.storage.kv;
    const state = kv.get<{ start: number; count: number }>("window");
    if (state && state.count > 0) kv.put("window", { start: state.start, count: state.count - 1 });
  }

  /** Forgets every counted attempt (a success clears its address's failures). */
  clear(): void {
    this.ctx.storage.kv.delete("window");
  }
}
