import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.ts";
import { decryptBotToken, encryptBotToken } from "../../src/services/telegram/token-crypto.ts";

const TOKEN = "123456789:AAE_abcdefghijklmnopqrstuvwxyz0123456";
const TENANT = "7d1c4a52-4a0b-4c43-9a33-1a1cf3f6f001";
const withKey = (key: string | undefined, jwt = env.JWT_SECRET): Bindings => ({
  ...env,
  TELEGRAM_TOKEN_KEY: key,
  JWT_SECRET: jwt,
});
const KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe("bot token encryption", () => {
  it("round-trips with TELEGRAM_TOKEN_KEY, with a fresh IV each time, and hides the token", async () => {
    const a = await encryptBotToken(withKey(KEY), TENANT, TOKEN);
    const b = await encryptBotToken(withKey(KEY), TENANT, TOKEN);
    expect(a).not.toBe(b);
    expect(atob(a)).not.toContain("abcdefghij");
    expect(await decryptBotToken(withKey(KEY), TENANT, a)).toBe(TOKEN);
  });

  it("derives a key from JWT_SECRET when TELEGRAM_TOKEN_KEY is unset", async () => {
    const sealed = await encryptBotToken(withKey(undefined), TENANT, TOKEN);
    expect(await decryptBotToken(withKey(undefined), TENANT, sealed)).toBe(TOKEN);
    // Another JWT_SECRET, or the configured key, does not open it.
    const other = withKey(undefined, "another-secret-that-is-long-enough-0123456789");
    await expect(decryptBotToken(other, TENANT, sealed)).rejects.toMatchObject({ code: "misconfigured" });
    await expect(decryptBotToken(withKey(KEY), TENANT, sealed)).rejects.toMatchObject({
      code: "misconfigured",
    });
  });

  it("refuses another tenant's ciphertext, a tampered one and a malformed key", async () => {
    const sealed = await encryptBotToken(withKey(KEY), TENANT, TOKEN);
    const other = "7d1c4a52-4a0b-4c43-9a33-1a1cf3f6f002";
    await expect(decryptBotToken(withKey(KEY), other, sealed)).rejects.toMatchObject({
      code: "misconfigured",
    });
    const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    const tampered = btoa(String.fromCharCode(...bytes));
    await expect(decryptBotToken(withKey(KEY), TENANT, tampered)).rejects.toMatchObject({
      code: "misconfigured",
    });
    await expect(encryptBotToken(withKey("c2hvcnQ="), TENANT, TOKEN)).rejects.toMatchObject({
      code: "misconfigured",
    });
    await expect(encryptBotToken(withKey("not base64!"), TENANT, TOKEN)).rejects.toMatchObject({
      code: "misconfigured",
    });
  });
});
