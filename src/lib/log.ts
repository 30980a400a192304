/**
 * Structured logs, one JSON object per line. Callers pass only what is safe to keep: ids, codes and
 * messages, never headers, bodies, tokens or keys; string fields are scrubbed once more in case an
 * error message quoted a secret.
 */
import { redact } from "./redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = redact(JSON.stringify({ level, message, ...fields }));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
