/**
 * One delivery attempt of an event to a hook: a signed JSON POST that must answer 2xx within 10 s.
 * Redirects are not followed (a 3xx is a failure), so a public URL cannot bounce the request to a private
 * address, and the URL is checked again right before sending (WEBHOOK_ALLOW_PRIVATE may have changed).
 * Never throws: every outcome, a refused URL included, is an attempt with a status or an error.
 */
import type { Bindings } from "../../env.ts";
import { webhookUrlProblem } from "../../lib/public-url.ts";
import { redact } from "../../lib/redact.ts";
import { signatureHeader } from "../../lib/webhook-signature.ts";
import type { WebhookEvent } from "../../schemas/webhooks.ts";

/** A receiver that has not answered after this long has failed the attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** What a delivery needs of a hook; `secret` is the plain signing secret. */
export interface DeliveryTarget {
  id: string;
  url: string;
  events: string[];
  secret: string;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: number;
}

/** Private and plain-http targets are allowed only with WEBHOOK_ALLOW_PRIVATE=1 (dev and tests). */
export function allowPrivateTargets(env: Pick<Bindings, "WEBHOOK_ALLOW_PRIVATE">): boolean {
  const value = env.WEBHOOK_ALLOW_PRIVATE?.trim().toLowerCase();
  return value === "1" || value === "true";
}

/** Sends the event's exact `body` to `target`, signed now. */
export async function postEvent(
  env: Pick<Bindings, "WEBHOOK_ALLOW_PRIVATE">,
  target: DeliveryTarget,
  event: { id: string; type: WebhookEvent["type"] | string },
  body: string,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<AttemptOutcome> {
  const attemptedAt = Date.now();
  const done = (statusCode: number | null, error: string | null): AttemptOutcome => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Date.now() - attemptedAt,
    attemptedAt,
  });
  const problem = webhookUrlProblem(target.url, allowPrivateTargets(env));
  if (problem) return done(null, `Not sent: ${problem}`);
  try {
    const res = await fetch(target.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "CIP-Webhooks/1",
        "x-cip-event": event.type,
        "x-cip-delivery": event.id,
        "x-cip-signature": await signatureHeader(target.secret, body, attemptedAt),
      },
      body,
    });
    // Only the status matters; the body is not read.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 300 && res.status < 400) return done(res.status, "Redirects are not followed.");
    return done(res.status, res.ok ? null : `HTTP ${res.status}`);
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError")
      return done(null, `No answer within ${Math.round(timeoutMs / 1000)} s`);
    const reason = err instanceof Error ? err.message : String(err);
    return done(null, `Could not connect: ${redact(reason).replace(/\s+/g, " ").slice(0, 200)}`);
  }
}
