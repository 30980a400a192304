/**
 * Webhook signing secrets at rest: AES-256-GCM with the key of stored bot tokens
 * (src/services/telegram/token-crypto.ts), a random IV, and `webhook:<tenant>:<webhook>` as additional
 * data, so no other ciphertext (a bot token, another hook's secret) decrypts in its place. CIP must sign
 * with the secret, so it is sealed rather than hashed; it is shown once, at creation, and never logged.
 */
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { randomToken } from "../../lib/crypto.ts";
import { tokenKey } from "../telegram/token-crypto.ts";

const IV_BYTES = 12;
const aad = (tenantId: string, webhookId: string) =>
  new TextEncoder().encode(`webhook:${tenantId}:${webhookId}`);

/** A fresh signing secret: `whsec_` and 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomToken(32)}`;
}

export async function encryptWebhookSecret(
  env: Bindings,
  tenantId: string,
  webhookId: string,
  secret: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(tenantId, webhookId) },
    await tokenKey(env),
    new TextEncoder().encode(secret),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  let bin = "";
  for (const b of out) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The secret; `misconfigured` when the key changed or the value was tampered with. */
export async function decryptWebhookSecret(
  env: Bindings,
  tenantId: string,
  webhookId: string,
  stored: string,
): Promise<string> {
  try {
    const bytes = Uint8Array.from(atob(stored), (ch) => ch.charCodeAt(0));
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: aad(tenantId, webhookId) },
      await tokenKey(env),
      bytes.slice(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      "misconfigured",
      "The webhook's secret cannot be decrypted; delete the hook and add it again.",
    );
  }
}
