/**
 * The key that seals tenants' secrets at rest (lib/tenant-seal.ts): TELEGRAM_TOKEN_KEY (base64 of 32
 * bytes; the name is historical, bot tokens were its first use), or, when that secret is unset, derived
 * from JWT_SECRET with HKDF-SHA-256 (info "cip/telegram-token"), so rotating JWT_SECRET then means
 * reconnecting the bots and entering the Turnstile and webhook secrets again.
 */
import { authConfig } from "../config.ts";
import type { Bindings } from "../env.ts";
import { AppError } from "../errors.ts";
import { hkdfKey } from "../lib/crypto.ts";
import { fromBase64 } from "../lib/tenant-seal.ts";

const HKDF_INFO = "cip/telegram-token";

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

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

/** The AES-GCM sealing key, imported once per isolate and key material; `misconfigured` when unusable. */
export function sealKey(env: Bindings): Promise<CryptoKey> {
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
