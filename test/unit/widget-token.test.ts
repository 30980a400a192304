import { describe, expect, it } from "vitest";
import { authConfig } from "../../src/config.ts";
import type { Bindings } from "../../src/env.ts";
import { AppError } from "../../src/errors.ts";
import { toBase64Url } from "../../src/lib/crypto.ts";
import {
  signWidgetToken,
  verifyWidgetToken,
  type WidgetClaims,
  widgetTokenKey,
} from "../../src/lib/widget-token.ts";
import { pageOrigin, tokenOriginAllowed } from "../../src/services/embed/chat-guard.ts";
import { embedHostOrigin } from "../../src/services/embed/widget-tokens.ts";

const SECRET = "unit-test-secret-that-is-long-enough-0123456789";
const NOW = 1_800_000_000;
const claims: WidgetClaims = {
  tenantId: "11111111-1111-4111-8111-111111111111",
  origin: "https://shop.example",
  visitorId: "visitor-1",
  exp: NOW + 900,
};
const jwtKey = (secret: string) => authConfig({ JWT_SECRET: secret } as Bindings).jwtKey;
const key = () => widgetTokenKey(jwtKey(SECRET));

/** Rebuilds a token with other claims but the original MAC: what a forger without the key can do. */
function withClaims(token: string, patch: Partial<Record<"t" | "o" | "v" | "e", unknown>>): string {
  const [kind, body, mac] = token.split(".");
  const decoded = JSON.parse(atob((body ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as Record<
    string,
    unknown
  >;
  const forged = toBase64Url(new TextEncoder().encode(JSON.stringify({ ...decoded, ...patch })));
  return `${kind}.${forged}.${mac}`;
}

describe("widget tokens", () => {
  it("verify what they signed and give the claims back", async () => {
    const token = await signWidgetToken(await key(), "token", claims);
    expect(token).toMatch(/^cwt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyWidgetToken(await key(), "token", token, NOW)).toEqual({ ok: true, claims });
  });

  it("expire at exp (not a second later)", async () => {
    const token = await signWidgetToken(await key(), "token", claims);
    expect((await verifyWidgetToken(await key(), "token", token, claims.exp - 1)).ok).toBe(true);
    expect(await verifyWidgetToken(await key(), "token", token, claims.exp)).toEqual({
      ok: false,
      reason: "expired",
    });
    expect((await verifyWidgetToken(await key(), "token", token, claims.exp + 3600)).ok).toBe(false);
  });

  it.each([
    ["another tenant", { t: "22222222-2222-4222-8222-222222222222" }],
    ["another visitor", { v: "visitor-2" }],
    ["another origin", { o: "https://evil.example" }],
    ["a later expiry", { e: NOW + 10 * 365 * 86400 }],
  ])("refuse a payload changed to %s (the MAC no longer matches)", async (_label, patch) => {
    const token = await signWidgetToken(await key(), "token", claims);
    expect(await verifyWidgetToken(await key(), "token", withClaims(token, patch), NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
  });

  it("refuse a flipped MAC bit, a MAC of another key, and an expired token re-signed by nobody", async () => {
    const token = await signWidgetToken(await key(), "token", claims);
    const mac = token.split(".")[2] ?? "";
    const flipped = `${token.slice(0, -mac.length)}${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    expect((await verifyWidgetToken(await key(), "token", flipped, NOW)).ok).toBe(false);
    const other = await widgetTokenKey(jwtKey(`${SECRET}-other`));
    const foreign = await signWidgetToken(other, "token", claims);
    expect(await verifyWidgetToken(await key(), "token", foreign, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
  });

  it("keep passes and tokens apart", async () => {
    const pass = await signWidgetToken(await key(), "pass", { ...claims, visitorId: "" });
    expect(pass.startsWith("cep1.")).toBe(true);
    expect(await verifyWidgetToken(await key(), "token", pass, NOW)).toEqual({
      ok: false,
      reason: "malformed",
    });
    // Renaming the kind does not help: the MAC covers it.
    const renamed = `cwt1${pass.slice(4)}`;
    expect(await verifyWidgetToken(await key(), "token", renamed, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
    expect((await verifyWidgetToken(await key(), "pass", pass, NOW)).ok).toBe(true);
  });

  it("are not login JWTs: a token signed with the raw JWT_SECRET is refused, a JWT does not parse", async () => {
    const raw = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const forged = await signWidgetToken(raw, "token", claims);
    expect(await verifyWidgetToken(await key(), "token", forged, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXI";
    expect(await verifyWidgetToken(await key(), "token", jwt, NOW)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it.each([
    "",
    "cwt1",
    "cwt1..",
    "cwt1.e30.short",
    `cwt1.${"A".repeat(3000)}.${"A".repeat(43)}`,
    "cwt1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.extra",
    "cwt1.not base64!.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ])("refuse the malformed %j without throwing", async (token) => {
    const result = await verifyWidgetToken(await key(), "token", token, NOW);
    expect(result.ok).toBe(false);
  });

  it("refuse a well-signed token whose claims are not the expected shape", async () => {
    const k = await key();
    const body = toBase64Url(new TextEncoder().encode(JSON.stringify({ t: 1, o: "", v: "", e: "soon" })));
    const mac = await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`cwt1.${body}`));
    const token = `cwt1.${body}.${toBase64Url(new Uint8Array(mac))}`;
    expect(await verifyWidgetToken(k, "token", token, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("need a JWT_SECRET of 32+ bytes to make a key", () => {
    expect(() => widgetTokenKey(jwtKey("short"))).toThrow(AppError);
  });
});

describe("origins of widget tokens", () => {
  const self = ["https://cip.example"];

  it("normalize the browser's Origin; none and the opaque null origin are ''", () => {
    expect(pageOrigin("https://Shop.Example:443")).toBe("https://shop.example");
    expect(pageOrigin(undefined)).toBe("");
    expect(pageOrigin("null")).toBe("");
    expect(pageOrigin("javascript:alert(1)")).toBe("");
  });

  it("allow CIP's own pages always, any page while nothing is listed, else listed ones only", () => {
    expect(tokenOriginAllowed("https://cip.example", ["https://shop.example"], self)).toBe(true);
    expect(tokenOriginAllowed("https://anyone.example", [], self)).toBe(true);
    expect(tokenOriginAllowed("", [], self)).toBe(true);
    expect(tokenOriginAllowed("https://shop.example", ["https://shop.example"], self)).toBe(true);
    expect(tokenOriginAllowed("https://evil.example", ["https://shop.example"], self)).toBe(false);
    expect(tokenOriginAllowed("", ["https://shop.example"], self)).toBe(false);
  });

  it("take the embed's host page from the Referer, or the page itself when opened top-level", () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(
      embedHostOrigin(
        h({ referer: "https://shop.example/cart?x=1", "sec-fetch-dest": "iframe" }),
        self[0] ?? "",
      ),
    ).toBe("https://shop.example");
    expect(
      embedHostOrigin(
        h({ referer: "https://shop.example/", "sec-fetch-dest": "document" }),
        "https://cip.example",
      ),
    ).toBe("https://cip.example");
    expect(embedHostOrigin(h({}), "https://cip.example")).toBe("");
    expect(embedHostOrigin(h({ referer: "not a url" }), "https://cip.example")).toBe("");
  });
});
