/**
 * Lockout that a stranger cannot turn against an owner: only wrong passwords count, per (tenant, e-mail,
 * client address), with a looser cap per (tenant, e-mail) across addresses. An address that has not
 * failed signs in with the right password even while another address is locked out; a right password
 * clears its own address's failures. Used by login and by the password change in the profile.
 *
 * Each check reserves a failure before the password is verified (one atomic step in the counter's
 * Durable Object, so parallel guesses cannot slip past the cap) and takes it back when the password was
 * right or the check never happened.
 */
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";

const WINDOW_SECONDS = 15 * 60;

/** Wrong passwords allowed per 15 minutes before further checks answer 429. */
export const PASSWORD_FAILURE_LIMITS = {
  /** From one client address, for one e-mail of one tenant. */
  perAddress: { limit: 10, windowSeconds: WINDOW_SECONDS },
  /** For one e-mail of one tenant, from all addresses together (a distributed guesser). */
  perEmail: { limit: 50, windowSeconds: WINDOW_SECONDS },
} as const;

/** A reserved failure, settled once the password has been checked. */
export interface PasswordCheck {
  /** The password was right: this address's failures are cleared and the attempt is not one. */
  succeeded(): Promise<void>;
  /** The check never happened (an error on the way): the attempt is not counted. */
  abandoned(): Promise<void>;
}

/**
 * Reserves one failure for `email` of `tenantId` from `ip`; 429 `rate_limited` with Retry-After when
 * this address or the e-mail has failed too often. A wrong password leaves the reservation counted.
 */
export async function reservePasswordCheck(
  env: Bindings,
  tenantId: string,
  email: string,
  ip: string,
): Promise<PasswordCheck> {
  const [address, account] = await Promise.all([
    counter(env, `pwfail:addr:${tenantId}:${email}:${ip}`),
    counter(env, `pwfail:email:${tenantId}:${email}`),
  ]);
  const { perAddress, perEmail } = PASSWORD_FAILURE_LIMITS;
  const [byAddress, byEmail] = await Promise.all([
    address.hit(perAddress.limit, perAddress.windowSeconds),
    account.hit(perEmail.limit, perEmail.windowSeconds),
  ]);
  if (!byAddress.allowed || !byEmail.allowed) {
    // A refused check is no failure: give back what the other counter took.
    await Promise.all([
      byAddress.allowed ? address.undo() : undefined,
      byEmail.allowed ? account.undo() : undefined,
    ]);
    const retryAfter = Math.max(byAddress.retryAfter, byEmail.retryAfter);
    throw new AppError("rate_limited", "Too many wrong passwords. Try again later.", { retryAfter });
  }
  return {
    succeeded: async () => {
      await Promise.all([address.clear(), account.undo()]);
    },
    abandoned: async () => {
      await Promise.all([address.undo(), account.undo()]);
    },
  };
}

async function counter(env: Bindings, key: string) {
  return env.RATE_LIMITER.getByName(await sha256Hex(key));
}
