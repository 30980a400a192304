import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";

export interface RateRule {
  /** What is counted, e.g. `login:ip:203.0.113.7`; hashed before it names an object. */
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Counts one attempt against every rule; throws `rate_limited` with Retry-After when any is exhausted. */
export async function enforceRateLimits(env: Bindings, rules: RateRule[]): Promise<void> {
  const decisions = await Promise.all(
    rules.map(async (rule) => {
      const stub = env.RATE_LIMITER.getByName(await sha256Hex(rule.key));
      return stub.hit(rule.limit, rule.windowSeconds);
    }),
  );
  const denied = decisions.filter((d) => !d.allowed);
  if (denied.length > 0) {
    const retryAfter = Math.max(...denied.map((d) => d.retryAfter));
    throw new AppError("rate_limited", "Too many attempts. Try again later.", { retryAfter });
  }
}

/** The client's address as Cloudflare reports it; "unknown" off the edge. */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip") ?? "unknown";
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** The limits on the account routes, per client address and per e-mail address. */
export const AUTH_LIMITS = {
  signUp: { ip: { limit: 10, windowSeconds: HOUR } },
  // Per e-mail, logins count failures only (services/accounts/login-guard.ts), so a stranger cannot
  // lock an owner out; this per-address cap counts every attempt, whatever the e-mail.
  login: { ip: { limit: 50, windowSeconds: 15 * MINUTE } },
  register: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  resend: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 3, windowSeconds: HOUR } },
  reset: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 3, windowSeconds: HOUR } },
} as const;

type LimitedAction = keyof typeof AUTH_LIMITS;

/** Rules for one account action, for this client and (when the action has one) this e-mail. */
export function authRules(action: LimitedAction, ip: string, tenantId: string, email?: string): RateRule[] {
  const limits: {
    ip: { limit: number; windowSeconds: number };
    email?: { limit: number; windowSeconds: number };
  } = AUTH_LIMITS[action];
  const rules: RateRule[] = [{ key: `${action}:ip:${ip}`, ...limits.ip }];
  if (email && limits.email) rules.push({ key: `${action}:email:${tenantId}:${email}`, ...limits.email });
  return rules;
}
