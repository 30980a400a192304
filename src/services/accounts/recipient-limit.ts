/**
 * A platform-wide cap on account mail to one address, whichever tenant sends it: sign-up, registration,
 * resend and reset let anyone make the platform mail any address, so without it a script could flood an
 * inbox, or mail many tenants' messages to one victim. Counted in the `RateLimiter` Durable Object keyed by
 * the hashed address (not in Postgres, whose tenant policies would hide other tenants' mail from the count).
 */
import type { Bindings } from "../../env.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import { normalizeEmail } from "./context.ts";

/** Account mails one address receives at most per hour, across all tenants. */
export const ACCOUNT_MAIL_PER_RECIPIENT = { limit: 5, windowSeconds: 3600 } as const;

/** Counts one account mail to `to`; `allowed: false` (and seconds to wait) once the hour's cap is spent. */
export async function takeRecipientSlot(
  env: Bindings,
  to: string,
): Promise<{ allowed: boolean; retryAfter: number }> {
  const stub = env.RATE_LIMITER.getByName(await sha256Hex(`account-mail:to:${normalizeEmail(to)}`));
  return stub.hit(ACCOUNT_MAIL_PER_RECIPIENT.limit, ACCOUNT_MAIL_PER_RECIPIENT.windowSeconds);
}

/**
 * For mail sent after the response: whether this one may go out. Over the cap it is dropped and logged
 * (without the address); the API has answered as usual already, so the cap tells a caller nothing. A
 * counter that cannot be reached lets the mail through: the per-tenant and per-address limits still hold.
 */
export async function recipientAllows(
  env: Bindings,
  to: string,
  what: Record<string, string>,
): Promise<boolean> {
  try {
    if ((await takeRecipientSlot(env, to)).allowed) return true;
    log("warn", "account mail withheld: too many to one address this hour", what);
    return false;
  } catch (err) {
    log("error", "account mail recipient limit unavailable", {
      ...what,
      error: err instanceof Error ? err.message.slice(0, 200) : String(err),
    });
    return true;
  }
}
