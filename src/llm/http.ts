/**
 * Small HTTP helpers for talking to a model provider: a deadline for one awaited step, and the mapping of
 * a failed HTTP status to an `AppError`. Error messages never quote the provider's body or our API key.
 */
import { AppError } from "../errors.ts";

/** The reason an aborted signal carries, or a standard `AbortError`. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/**
 * Settles like `promise`, unless `ms` pass first (rejects with `onTimeout()`) or `signal` aborts first
 * (rejects with its reason). The timer and the listener are always removed.
 */
export function within<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => settle(() => reject(signal ? abortReason(signal) : undefined));
    const timer = setTimeout(() => settle(() => reject(onTimeout())), ms);
    function settle(action: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      action();
    }
    promise.then(
      (value) => settle(() => resolve(value)),
      (err: unknown) => settle(() => reject(err)),
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A deadline for each of many waits, on one timer: `waiting()` starts a wait, `done()` ends it. */
export interface IdleWatch {
  waiting(): void;
  done(): void;
  stop(): void;
}

/**
 * Calls `onIdle` once a wait lasts `ms`. One timer serves a whole stream: `waiting()`/`done()` only note
 * the time, and the timer, when it fires early or between waits, re-arms for what is left. (A timer set
 * and cleared per chunk cost a model stream more CPU than parsing it.) Time between waits (the consumer
 * running a command) never counts.
 */
export function idleWatch(ms: number, onIdle: () => void): IdleWatch {
  let since: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const waited = since === undefined ? 0 : Date.now() - since;
    if (waited >= ms) {
      timer = undefined;
      onIdle();
    } else timer = setTimeout(check, ms - waited);
  };
  timer = setTimeout(check, ms);
  return {
    waiting: () => {
      since = Date.now();
    },
    done: () => {
      since = undefined;
    },
    stop: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date); `undefined` if unusable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The `AppError` for a non-2xx answer of the model provider. */
export function statusError(status: number, retryAfterHeader: string | null): AppError {
  if (status === 401 || status === 403)
    return new AppError("upstream_error", "the model rejected the API key");
  if (status === 402) return new AppError("upstream_error", "model account has insufficient balance");
  if (status === 429) {
    const retryAfter = parseRetryAfter(retryAfterHeader);
    return new AppError(
      "rate_limited",
      "the model is rate limited, try again later",
      retryAfter === undefined ? undefined : { retryAfter },
    );
  }
  if (status >= 500)
    return new AppError("service_unavailable", `the model is unavailable (status ${status})`);
  return new AppError("upstream_error", `the model refused the request (status ${status})`);
}
