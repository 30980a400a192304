import type { TurnInput, TurnStart } from "../chat/dialog-contract.ts";
import type { Bindings } from "../env.ts";
import { AppError } from "../errors.ts";
import { requireTurnstile } from "../services/embed/chat-guard.ts";
import type { DialogStore } from "./dialog-store.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/**
 * The tenant's Turnstile on every Nth visitor message of a web dialog (`turnstile.everyMessages`): the
 * first message is checked at the edge; messages N+1, 2N+1, … need a fresh token here, where the count
 * is. Null when the message may go on.
 */
export async function humanCheck(
  env: Bindings,
  store: DialogStore,
  input: TurnInput,
  snapshot: TenantSnapshot,
): Promise<Extract<TurnStart, { ok: false }> | null> {
  const turnstile = snapshot.settings.turnstile;
  const every = turnstile?.everyMessages;
  if (!turnstile || !every || input.channel !== "web" || input.server || !store.meta()) return null;
  if (store.visitorMessageCount() % every !== 0) return null;
  try {
    await requireTurnstile(env, input.tenantId, turnstile, {
      turnstileToken: input.turnstileToken,
      remoteIp: input.remoteIp,
    });
    return null;
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}
