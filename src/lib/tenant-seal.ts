/**
 * One way to keep a tenant's secret at rest (bot tokens, Turnstile secrets, webhook signing secrets):
 * AES-256-GCM (WebCrypto) with a random 96-bit IV, stored as base64(iv || ciphertext). The additional
 * authenticated data names the purpose, the tenant and, where one exists, the row (`webhook:<tenant>:<hook>`),
 * so a ciphertext copied to another tenant, row or purpose does not open. The key comes from the caller
 * (services/seal-key.ts), which keeps this module free of configuration.
 */

const IV_BYTES = 12;

/** Whose secret and what for; together they are the additional data every ciphertext is bound to. */
export interface SealLabel {
  tenantId: string;
  /** Purpose prefix (`turnstile`, `webhook`); none for bot tokens, whose format predates the prefix. */
  purpose?: string;
  /** The row the secret belongs to, when one tenant has several (a webhook id). */
  subject?: string;
}

/** The additional data: `[purpose:]tenant[:subject]`, exactly as each stored format was written. */
export function sealAad(label: SealLabel): Uint8Array<ArrayBuffer> {
  const parts = [label.purpose, label.tenantId, label.subject].filter((p): p is string => p !== undefined);
  return new TextEncoder().encode(parts.join(":"));
}

/** Bytes of base64 or base64url text; throws on anything else. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Encrypts `plaintext` for `label`; a fresh IV each time, so equal secrets never look equal. */
export async function sealForTenant(key: CryptoKey, label: SealLabel, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: sealAad(label) },
    key,
    new TextEncoder().encode(plaintext),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return toBase64(out);
}

/**
 * The plaintext of a stored value, or `undefined` when it does not open (another key, tenant, purpose or
 * row, tampering, not base64): the caller says what that means for its feature.
 */
export async function openForTenant(
  key: CryptoKey,
  label: SealLabel,
  stored: string,
): Promise<string | undefined> {
  try {
    const bytes = fromBase64(stored);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: sealAad(label) },
      key,
      bytes.slice(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
