/**
 * Structured logs, one JSON object per line. Callers pass only what is safe to keep: ids, codes and
 * messages, never headers, bodies, tokens or keys; string fields are scrubbed once more in case an
 * error message quoted a secret.
 *
 * A unit of work (an HTTP request, a dialog turn in its Durable Object) runs inside `withLogContext`, so
 * every line written on its behalf carries its `requestId` without each caller passing it: the context
 * follows awaits, timers and `waitUntil` work started inside it (AsyncLocalStorage, nodejs_compat).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { redact } from "./redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields every line of one unit of work carries. */
export interface LogContext {
  requestId?: string | undefined;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` so that every line logged inside it, now or in work it starts, carries `fields`. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** The context of the work in progress ({} outside any), e.g. to hand the request id to a Durable Object. */
export function currentLogContext(): LogContext {
  return context.getStore() ?? {};
}

/** Writes one line; fields given here win over the context's. */
export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = redact(JSON.stringify({ level, message, ...context.getStore(), ...fields }));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
