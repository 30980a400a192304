/**
 * Bot tokens at rest: AES-256-GCM (WebCrypto) with a random 96-bit IV, stored as base64(iv || ciphertext).
 * The tenant id is the additional authenticated data, so a ciphertext copied to another tenant's row does
 * not decrypt. The key is TELEGRAM_TOKEN_KEY (base64 of 32 bytes); when that secret is unset it is derived
 * from JWT_SECRET with HKDF-SHA-256 (info "cip/telegram-token"), so rotating JWT_SECRET then means
 * reconnecting the bots.
 */
import { authConfig } from "../../config.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { hkdfKey } from "../../lib/crypto.ts";

const IV_BYTES = 12;
const HKDF_INFO = "cip/telegram-token";

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

async function importKey(env: Bindings): Promise<CryptoKey> {
  const configured = env.TELEGRAM_TOKEN_KEY?.trim();
  if (configured) {
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = fromBase64(configured);
    } catch {
      raw = new Uint8Array();
    }
    if (raw.byteLength !== 32) {
      throw new AppError(
        "misconfigured",
        "Telegram is unavailable: TELEGRAM_TOKEN_KEY is not base64 of 32 bytes.",
      );
    }
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  }
  return hkdfKey(authConfig(env).jwtKey, HKDF_INFO, { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);
}

/** The AES-GCM key for bot tokens, imported once per isolate and key material. */
export function tokenKey(env: Bindings): Promise<CryptoKey> {
  const source = env.TELEGRAM_TOKEN_KEY?.trim() ? `k:${env.TELEGRAM_TOKEN_KEY}` : `j:${env.JWT_SECRET ?? ""}`;
  if (cached?.source !== source) {
    const key = importKey(env);
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
    cached = { source, key };
  }
  return cached.key;
}

/** Encrypts a bot token for `tenantId`'s row. */
export async function encryptBotToken(env: Bindings, tenantId: string, token: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(tenantId) },
    await tokenKey(env),
    new TextEncoder().encode(token),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return toBase64(out);
}

/** Decrypts a stored token; throws `misconfigured` when the key changed or the value was tampered with. */
export async function decryptBotToken(env: Bindings, tenantId: string, stored: string): Promise<string> {
  try {
    const bytes = fromBase64(stored);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: new TextEncoder().encode(tenantId) },
      await tokenKey(env),
      bytes.slice(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("misconfigured", "The stored bot token cannot be decrypted; connect the bot again.");
  }
}
