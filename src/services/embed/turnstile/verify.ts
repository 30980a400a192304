/**
 * Server-side Turnstile check: POSTs the visitor's token to siteverify (TURNSTILE_VERIFY_URL, by default
 * Cloudflare's) with the tenant's secret, and fails closed: an answer that is not a clear
 * `success: true` refuses the message. Cloudflare being unreachable, slow or answering garbage is an
 * `upstream_error` (502), so the visitor can retry; a token Cloudflare refused is `turnstile_failed`.
 */
import { AppError } from "../../../errors.ts";

/** What siteverify answers (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/). */
export interface SiteverifyAnswer {
  success: boolean;
  "error-codes": string[];
  challenge_ts?: string;
  hostname?: string;
  action?: string;
  cdata?: string;
}

/** The check a chat message goes through; the HTTP one below, or a double in unit tests. */
export interface TurnstileVerifier {
  verify(input: { secret: string; token: string; remoteIp?: string | undefined }): Promise<SiteverifyAnswer>;
}

const TIMEOUT_MS = 5000;

/** Why a token was refused, in words for the visitor's client (the codes are Cloudflare's). */
const REASONS: Record<string, string> = {
  "timeout-or-duplicate": "the check was already used or has expired; solve it again",
  "invalid-input-response": "the check's answer is not valid",
  "missing-input-response": "the check's answer is missing",
  "invalid-input-secret": "the site's Turnstile secret is not valid",
  "missing-input-secret": "the site's Turnstile secret is missing",
  "bad-request": "the check could not be read",
  "internal-error": "Turnstile failed on its side; try again",
};

/** siteverify over HTTP (form-encoded, as Cloudflare documents), with an idempotency key and a timeout. */
export function httpTurnstileVerifier(verifyUrl: string, fetcher: typeof fetch = fetch): TurnstileVerifier {
  return {
    async verify({ secret, token, remoteIp }) {
      const form = new URLSearchParams({ secret, response: token, idempotency_key: crypto.randomUUID() });
      if (remoteIp) form.set("remoteip", remoteIp);
      let res: Response;
      try {
        res = await fetcher(verifyUrl, {
          method: "POST",
          body: form,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        throw new AppError("upstream_error", "Turnstile could not be reached; try again.");
      }
      const body = (await res.json().catch(() => null)) as Partial<SiteverifyAnswer> | null;
      if (!body || typeof body.success !== "boolean") {
        throw new AppError("upstream_error", `Turnstile answered HTTP ${res.status} without a verdict.`);
      }
      const codes = Array.isArray(body["error-codes"]) ? body["error-codes"].map(String) : [];
      return { ...body, success: body.success, "error-codes": codes };
    },
  };
}

/** Throws unless the answer is a pass; an `internal-error` is Cloudflare's problem, so 502, not 403. */
export function requirePass(answer: SiteverifyAnswer): void {
  if (answer.success === true) return;
  const codes = answer["error-codes"];
  if (codes.includes("internal-error")) {
    throw new AppError("upstream_error", "Turnstile failed on its side; try again.");
  }
  const reason = codes.map((c) => REASONS[c] ?? c).join("; ") || "no reason given";
  throw new AppError("turnstile_failed", `The human check did not pass: ${reason}.`);
}
