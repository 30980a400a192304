/**
 * Webhook signing secrets at rest: sealed for the tenant (lib/tenant-seal.ts) under the key of
 * services/seal-key.ts with `webhook:<tenant>:<webhook>` as additional data, so no other ciphertext (a bot
 * token, another hook's secret) decrypts in its place. CIP must sign with the secret, so it is sealed
 * rather than hashed; it is shown once, at creation, and never logged.
 */
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { randomToken } from "../../lib/crypto.ts";
import { openForTenant, sealForTenant } from "../../lib/tenant-seal.ts";
import { sealKey } from "../seal-key.ts";

const label = (tenantId: string, webhookId: string) => ({ tenantId, purpose: "webhook", subject: webhookId });

/** A fresh signing secret: `whsec_` and 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomToken(32)}`;
}

/** Encrypts a hook's signing secret for its row. */
export async function encryptWebhookSecret(
  env: Bindings,
  tenantId: string,
  webhookId: string,
  secret: string,
): Promise<string> {
  return sealForTenant(await sealKey(env), label(tenantId, webhookId), secret);
}

/** The secret; `misconfigured` when the key changed or the value was tampered with. */
export async function decryptWebhookSecret(
  env: Bindings,
  tenantId: string,
  webhookId: string,
  stored: string,
): Promise<string> {
  const secret = await openForTenant(await sealKey(env), label(tenantId, webhookId), stored);
  if (secret === undefined) {
    throw new AppError(
      "misconfigured",
      "The webhook's secret cannot be decrypted; delete the hook and add it again.",
    );
  }
  return secret;
}
