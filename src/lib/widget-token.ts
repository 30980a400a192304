/**
 * Widget tokens and embed passes: short HMAC-SHA-256 (WebCrypto) tokens that prove a chat caller went
 * through CIP's embed page or token endpoint.
 * - A widget token binds {tenant, origin, visitor, exp}; the chat API asks for it when the tenant turned
 *   on "protected embed".
 * - An embed pass binds {tenant, origin, exp} and is put into the embed page by the Worker, which saw the
 *   host page's origin; the page trades it for a widget token once it knows its visitor id.
 * Form: `<kind>.<base64url(JSON claims)>.<base64url(HMAC)>`, kind `cwt1` (token) or `cep1` (pass). The
 * MAC covers kind and claims, so one kind never passes as the other, and a JWT (three parts, `eyJ...`)
 * never parses as either. The key is derived from JWT_SECRET with HKDF-SHA-256 under its own label, so
 * it is never the login JWT key.
 */
import { hkdfKey, toBase64Url } from "./crypto.ts";

/** Lifetime of a widget token (seconds): the page refreshes it before it runs out. */
export const WIDGET_TOKEN_TTL_SECONDS = 15 * 60;
/** Lifetime of an embed pass (seconds): an embed page open longer reloads itself for a new one. */
export const EMBED_PASS_TTL_SECONDS = 12 * 60 * 60;
/** Longest token accepted at all; anything longer is not ours. */
export const WIDGET_TOKEN_MAX_LENGTH = 2048;

const HKDF_INFO = "cip/widget-token/v1";
const KINDS = { token: "cwt1", pass: "cep1" } as const;
export type TokenKind = keyof typeof KINDS;

/** What a widget token (kind `token`) or an embed pass (kind `pass`, `visitorId` "") says. */
export interface WidgetClaims {
  tenantId: string;
  /** The page origin it was issued for; "" when the caller named none (an open widget only). */
  origin: string;
  visitorId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type VerifyResult =
  | { ok: true; claims: WidgetClaims }
  | { ok: false; reason: "malformed" | "signature" | "expired" };

const encoder = new TextEncoder();

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

/** The HMAC key, derived from the JWT secret's bytes once per isolate and secret. */
export function widgetTokenKey(secret: Uint8Array): Promise<CryptoKey> {
  const source = toBase64Url(secret);
  if (cached?.source !== source) {
    const key = hkdfKey(secret, HKDF_INFO, { name: "HMAC", hash: "SHA-256", length: 256 }, [
      "sign",
      "verify",
    ]);
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
    cached = { source, key };
  }
  return cached.key;
}

/** Signs claims as a token of `kind`. */
export async function signWidgetToken(
  key: CryptoKey,
  kind: TokenKind,
  claims: WidgetClaims,
): Promise<string> {
  const body = toBase64Url(
    encoder.encode(
      JSON.stringify({ t: claims.tenantId, o: claims.origin, v: claims.visitorId, e: claims.exp }),
    ),
  );
  const signed = `${KINDS[kind]}.${body}`;
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(signed));
  return `${signed}.${toBase64Url(new Uint8Array(mac))}`;
}

/**
 * Checks a token of `kind`: its form, its MAC (constant time, WebCrypto's verify), then its expiry
 * against `nowSeconds`. The claims are only trusted after the MAC matched.
 */
export async function verifyWidgetToken(
  key: CryptoKey,
  kind: TokenKind,
  token: string,
  nowSeconds: number,
): Promise<VerifyResult> {
  const parts = token.length <= WIDGET_TOKEN_MAX_LENGTH ? token.split(".") : [];
  const [prefix, body, mac] = parts;
  if (parts.length !== 3 || prefix !== KINDS[kind] || !body || !mac)
    return { ok: false, reason: "malformed" };
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]{43}$/.test(mac)) {
    return { ok: false, reason: "malformed" };
  }
  const valid = await crypto.subtle.verify(
    "HMAC",
    key,
    fromBase64Url(mac),
    encoder.encode(`${prefix}.${body}`),
  );
  if (!valid) return { ok: false, reason: "signature" };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const c = raw as { t?: unknown; o?: unknown; v?: unknown; e?: unknown } | null;
  if (
    !c ||
    typeof c.t !== "string" ||
    typeof c.o !== "string" ||
    typeof c.v !== "string" ||
    typeof c.e !== "number" ||
    !Number.isFinite(c.e)
  ) {
    return { ok: false, reason: "malformed" };
  }
  if (c.e <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims: { tenantId: c.t, origin: c.o, visitorId: c.v, exp: c.e } };
}
