/**
 * One error type for the whole app. Services throw `AppError` with a code; the single `onError` handler
 * turns it into the JSON envelope `{"error": {"code", "message", "details?"}}` with the status from the table.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error code the API can answer with, and its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  // The platform operator (docs/operator.md): a blocked tenant's sign-in; a support ticket's write.
  tenant_blocked: 403,
  read_only: 403,
  email_not_confirmed: 403,
  // Protected embed (src/services/chat-guard.ts): the widget token is missing, bad, expired, or not this caller's.
  widget_token_required: 401,
  widget_token_invalid: 401,
  widget_token_expired: 401,
  widget_token_mismatch: 403,
  // API keys (src/services/api-keys.ts): unknown or revoked; a route keys cannot call; a scope the key lacks.
  invalid_api_key: 401,
  api_key_not_allowed: 403,
  insufficient_scope: 403,
  // Cloudflare Turnstile on a visitor's first message.
  turnstile_required: 403,
  turnstile_failed: 403,
  not_found: 404,
  tenant_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  slug_taken: 409,
  last_owner: 409,
  // A content quota (src/services/platform/quotas.ts): the body names it in `quota`.
  quota_exceeded: 409,
  token_expired: 410,
  token_used: 410,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  validation_failed: 422,
  message_too_long: 422,
  rate_limited: 429,
  budget_exceeded: 429,
  visitor_rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  service_unavailable: 503,
  tenant_unavailable: 503,
  db_unavailable: 503,
  misconfigured: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field-level problem, as reported for `validation_failed`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { issues?: FieldIssue[]; retryAfter?: number; quota?: { id: string; limit: number } },
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** The body of every non-2xx API answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[]; quota?: { id: string; limit: number } };
}

export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details?.issues) body.error.issues = err.details.issues;
  if (err.details?.quota) body.error.quota = err.details.quota;
  return body;
}
