import { describe, expect, it } from "vitest";
import { openForTenant, sealAad, sealForTenant } from "../../src/lib/tenant-seal.ts";

const TENANT = "7d1c4a52-4a0b-4c43-9a33-1a1cf3f6f001";
const OTHER = "0b6f1f9e-2a55-4a8e-8f4c-6c7e1d2a9b10";
const HOOK = "3f0c2d8e-9b1a-4c5d-8e7f-112233445566";

const newKey = () =>
  crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);

/** How the three features sealed before they shared the module: the stored values must still open. */
async function legacySeal(key: CryptoKey, aad: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
    key,
    new TextEncoder().encode(plain),
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return btoa(String.fromCharCode(...out));
}

describe("tenant seal", () => {
  it("round-trips, with a fresh IV each time, and hides the plaintext", async () => {
    const key = await newKey();
    const label = { tenantId: TENANT, purpose: "turnstile" };
    const a = await sealForTenant(key, label, "s3cret-value");
    const b = await sealForTenant(key, label, "s3cret-value");
    expect(a).not.toBe(b);
    expect(atob(a)).not.toContain("s3cret");
    expect(await openForTenant(key, label, a)).toBe("s3cret-value");
    expect(await openForTenant(key, label, b)).toBe("s3cret-value");
  });

  it("does not open for another tenant, purpose, row or key", async () => {
    const key = await newKey();
    const sealed = await sealForTenant(key, { tenantId: TENANT, purpose: "webhook", subject: HOOK }, "x");
    expect(await openForTenant(key, { tenantId: OTHER, purpose: "webhook", subject: HOOK }, sealed)).toBe(
      undefined,
    );
    expect(await openForTenant(key, { tenantId: TENANT, purpose: "turnstile", subject: HOOK }, sealed)).toBe(
      undefined,
    );
    expect(await openForTenant(key, { tenantId: TENANT, purpose: "webhook" }, sealed)).toBe(undefined);
    expect(await openForTenant(key, { tenantId: TENANT }, sealed)).toBe(undefined);
    expect(
      await openForTenant(await newKey(), { tenantId: TENANT, purpose: "webhook", subject: HOOK }, sealed),
    ).toBe(undefined);
    expect(await openForTenant(key, { tenantId: TENANT, purpose: "webhook", subject: HOOK }, sealed)).toBe(
      "x",
    );
  });

  it("does not open a tampered or malformed value", async () => {
    const key = await newKey();
    const label = { tenantId: TENANT };
    const bytes = Uint8Array.from(atob(await sealForTenant(key, label, "token")), (c) => c.charCodeAt(0));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(await openForTenant(key, label, btoa(String.fromCharCode(...bytes)))).toBe(undefined);
    expect(await openForTenant(key, label, "not base64!")).toBe(undefined);
    expect(await openForTenant(key, label, "")).toBe(undefined);
  });

  it("keeps each stored format: bot token, Turnstile secret, webhook secret", async () => {
    const key = await newKey();
    expect(new TextDecoder().decode(sealAad({ tenantId: TENANT }))).toBe(TENANT);
    const bot = await legacySeal(key, TENANT, "123:AAE");
    expect(await openForTenant(key, { tenantId: TENANT }, bot)).toBe("123:AAE");
    const turnstile = await legacySeal(key, `turnstile:${TENANT}`, "0x4AAA");
    expect(await openForTenant(key, { tenantId: TENANT, purpose: "turnstile" }, turnstile)).toBe("0x4AAA");
    const hook = await legacySeal(key, `webhook:${TENANT}:${HOOK}`, "whsec_abc");
    expect(await openForTenant(key, { tenantId: TENANT, purpose: "webhook", subject: HOOK }, hook)).toBe(
      "whsec_abc",
    );
  });
});
