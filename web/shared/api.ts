/** The JSON API client: one place that turns the error envelope `{error:{code,message,issues}}` into errors. */
import { t } from "./i18n.ts";

export interface Issue {
  path: string;
  message: string;
}

/** A failed API call: HTTP status (0 for no answer), the envelope's code, message and field issues. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: Issue[];
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    issues: Issue[] = [],
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.issues = issues;
    this.retryAfter = retryAfter;
  }
}

export interface ApiOptions {
  method?: string;
  /** JSON-encoded unless it is FormData or a Blob. */
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
  query?: Record<string, string | number | boolean | null | undefined>;
  cache?: RequestCache;
  /** Extra request headers (e.g. the chat's X-Widget-Token). */
  headers?: Record<string, string>;
}

/** Builds `/api/v1{path}?query` (empty and null values left out). */
export function apiUrl(path: string, query?: ApiOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

/** Reads the error envelope of a non-2xx response (or makes one from the status). */
export async function errorFrom(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get("retry-after"));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; issues?: Issue[] } };
    if (body.error?.code) {
      return new ApiError(
        res.status,
        body.error.code,
        body.error.message ?? res.statusText,
        Array.isArray(body.error.issues) ? body.error.issues : [],
        retryAfter,
      );
    }
  } catch {
    // not JSON
  }
  return new ApiError(
    res.status,
    `http_${res.status}`,
    res.statusText || `HTTP ${res.status}`,
    [],
    retryAfter,
  );
}

/** Request headers for a JSON call with an optional bearer token. */
export function jsonHeaders(token?: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/** Calls the API; resolves with the parsed JSON (undefined for 204), rejects with an ApiError. */
export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const headers = { ...opts.headers, ...jsonHeaders(opts.token) };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData || opts.body instanceof Blob) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method: opts.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      signal: opts.signal,
      cache: opts.cache,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", t("networkError"));
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get("content-type") ?? "";
  return (type.includes("json") ? await res.json() : await res.text()) as T;
}

/** Codes whose message people get in their language rather than the API's English one. */
const LOCALIZED: Record<string, () => string> = {
  rate_limited: () => t("rateLimited"),
  network_error: () => t("networkError"),
  internal_error: () => t("serverError"),
  service_unavailable: () => t("serverError"),
  upstream_error: () => t("serverError"),
};

/** The text for an error code of a stream `error` event or an envelope. */
export function codeText(code: string, message: string): string {
  return LOCALIZED[code]?.() ?? (message || t("serverError"));
}

/** A message for people: localized for the common cases, the API's own message otherwise. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t("serverError");
  if (err.status === 429 && err.retryAfter) return t("rateLimitedIn", { s: err.retryAfter });
  if (err.status === 0) return t("networkError");
  return codeText(err.code, err.message);
}
