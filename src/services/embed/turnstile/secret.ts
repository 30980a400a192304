/**
 * The tenant's Turnstile secret at rest: AES-256-GCM with the same key as stored bot tokens
 * (src/services/telegram/token-crypto.ts: TELEGRAM_TOKEN_KEY, or derived from JWT_SECRET), a random IV,
 * and `turnstile:<tenant id>` as additional data, so neither a bot token's ciphertext nor another
 * tenant's secret decrypts in its place. Stored as base64(iv || ciphertext); never returned or logged.
 */
import type { Bindings } from "../../../env.ts";
import { AppError } from "../../../errors.ts";
import { tokenKey } from "../../telegram/token-crypto.ts";

const IV_BYTES = 12;
const aad = (tenantId: string) => new TextEncoder().encode(`turnstile:${tenantId}`);

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Encrypts a Turnstile secret for `tenantId`'s settings. */
export async function encryptTurnstileSecret(
  env: Bindings,
  tenantId: string,
  secret: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(tenantId) },
    await tokenKey(env),
    new TextEncoder().encode(secret),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return toBase64(out);
}

/** Decrypts the stored secret; `misconfigured` when the key changed or the value was tampered with. */
export async function decryptTurnstileSecret(
  env: Bindings,
  tenantId: string,
  stored: string,
): Promise<string> {
  try {
    const bytes = Uint8Array.from(atob(stored), (ch) => ch.charCodeAt(0));
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: aad(tenantId) },
      await tokenKey(env),
      bytes.slice(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      "misconfigured",
      "The chat's Turnstile secret cannot be decrypted; the site owner must enter it again.",
    );
  }
}
