/**
 * The signature of an outgoing webhook (the Stripe scheme): `X-CIP-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`. The key is the secret exactly as shown at creation (`whsec_…`,
 * as UTF-8 bytes). Signing the timestamp with the body lets a receiver refuse replays of old deliveries.
 */

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/** Hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`. */
export async function webhookSignature(secret: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret),
    new TextEncoder().encode(`${timestamp}.${body}`),
  );
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `X-CIP-Signature` header value for `body` sent at `nowMs`. */
export async function signatureHeader(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${await webhookSignature(secret, t, body)}`;
}
