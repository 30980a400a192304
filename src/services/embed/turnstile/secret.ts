/**
 * The tenant's Turnstile secret at rest: sealed for the tenant (lib/tenant-seal.ts) under the key of
 * services/seal-key.ts with `turnstile:<tenant id>` as additional data, so neither a bot token's
 * ciphertext nor another tenant's secret decrypts in its place. Never returned or logged.
 */
import type { Bindings } from "../../../env.ts";
import { AppError } from "../../../errors.ts";
import { openForTenant, sealForTenant } from "../../../lib/tenant-seal.ts";
import { sealKey } from "../../seal-key.ts";

const label = (tenantId: string) => ({ tenantId, purpose: "turnstile" });

/** Encrypts a Turnstile secret for `tenantId`'s settings. */
export async function encryptTurnstileSecret(
  env: Bindings,
  tenantId: string,
  secret: string,
): Promise<string> {
  return sealForTenant(await sealKey(env), label(tenantId), secret);
}

/** Decrypts the stored secret; `misconfigured` when the key changed or the value was tampered with. */
export async function decryptTurnstileSecret(
  env: Bindings,
  tenantId: string,
  stored: string,
): Promise<string> {
  const secret = await openForTenant(await sealKey(env), label(tenantId), stored);
  if (secret === undefined) {
    throw new AppError(
      "misconfigured",
      "The chat's Turnstile secret cannot be decrypted; the site owner must enter it again.",
    );
  }
  return secret;
}
