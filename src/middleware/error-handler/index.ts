import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import type { AppEnv } from "../../env.ts";
import { AppError, type ErrorCode, errorBody } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import { zodIssues } from "../../lib/validation.ts";

/** Maps anything thrown by a handler to the JSON error envelope; unknown errors become a logged 500. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const appError = toAppError(err);
  // A blocked tenant's chat answering "unavailable" is the platform working, not a failure.
  if (appError.status >= 500 && appError.code !== "tenant_unavailable") {
    log("error", "request failed", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      code: appError.code,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
  }
  return respondWithError(c, appError);
};

/** Unknown routes answer 404 in the envelope, like every other failure. */
export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  respondWithError(
    c,
    new AppError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
  );

function respondWithError(c: Context<AppEnv>, err: AppError): Response {
  if (err.details?.retryAfter !== undefined) c.header("Retry-After", String(err.details.retryAfter));
  c.header("Cache-Control", "no-store");
  return c.json(errorBody(err), err.status);
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    return new AppError("validation_failed", "The request is not valid.", { issues: zodIssues(err) });
  }
  if (err instanceof HTTPException) {
    // Hono's JSON validator reports a body that does not parse as a 400 with this message.
    if (err.status === 400 && /malformed json/i.test(err.message)) {
      return new AppError("invalid_json", "The request body is not valid JSON.");
    }
    const code = HTTP_CODES[err.status];
    if (code) return new AppError(code, err.message || code.replace(/_/g, " "));
  }
  // A Durable Object that was reset or overloaded mid-call: the work is safe in its storage; retry.
  const flags = err as { durableObjectReset?: unknown; retryable?: unknown; overloaded?: unknown };
  if (flags?.durableObjectReset || flags?.retryable === true || flags?.overloaded === true) {
    return new AppError("service_unavailable", "This conversation restarted; please try again.");
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError("db_unavailable", "The database is not reachable right now; try again shortly.");
  }
  return new AppError("internal_error", "Something went wrong on our side.");
}
