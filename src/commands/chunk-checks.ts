/**
 * What the chunk commands check before they write, and how a refused write reads: each failure changes
 * nothing and says why in the tenant's language (texts.ts), so the setup assistant can correct itself.
 */
import { AppError } from "../errors.ts";
import {
  CHUNK_QUESTION_MAX,
  CHUNK_TEXT_MAX,
  CHUNKS_PER_TENANT_MAX,
} from "../services/prompt/prompt-chunks.ts";
import { type Locale, say } from "./texts.ts";
import { type CommandResult, failed } from "./types.ts";

const length = (s: string) => [...s].length;

/** A refusal for a question or text over its limit, or with characters Postgres cannot store. */
export function lengthProblem(
  locale: Locale,
  input: { question?: string | undefined; text?: string | undefined },
): CommandResult | null {
  if (input.question !== undefined && length(input.question) > CHUNK_QUESTION_MAX)
    return failed(
      say(locale, "questionTooLong", { max: CHUNK_QUESTION_MAX, length: length(input.question) }),
    );
  if (input.text !== undefined && length(input.text) > CHUNK_TEXT_MAX)
    return failed(say(locale, "textTooLong", { max: CHUNK_TEXT_MAX, length: length(input.text) }));
  if (input.question?.includes("\u0000") || input.text?.includes("\u0000"))
    return failed(say(locale, "badCharacters"));
  return null;
}

/** `position=` as written: undefined when absent, null when it is not a whole number from 1. */
export function readPosition(raw: string | undefined): number | undefined | null {
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** A service refusal as the command's result, in the tenant's language; anything else is rethrown. */
export function serviceRefusal(
  err: unknown,
  locale: Locale,
  command: string,
  maxChunks = CHUNKS_PER_TENANT_MAX,
): CommandResult {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  if (err.code === "not_found") return failed(say(locale, "noSuchChunk", { command }));
  if (err.code === "conflict" || err.code === "quota_exceeded")
    return failed(say(locale, "tooManyChunks", { max: maxChunks }));
  if (err.code === "validation_failed") return failed(say(locale, "badCharacters"));
  return failed(`⚠️ ${command}: ${err.message}`);
}
