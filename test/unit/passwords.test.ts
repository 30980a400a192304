/// <reference types="vite/client" />
import { scryptSync } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../src/errors.ts";
import {
  assertPasswordAcceptable,
  hashPassword,
  needsRehash,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordProblem,
  SCRYPT_PARAMS,
  verifyAgainstDummy,
  verifyPassword,
} from "../../src/lib/passwords.ts";
import passwordsSource from "../../src/lib/passwords.ts?raw";

const B64 = "[A-Za-z0-9+/]+={0,2}";
const PASSWORD = "violet-harbor-42-lantern";

/** A hash in the stored format made with explicit parameters (as an older deployment would have). */
function legacyHash(password: string, N: number, r: number, p: number, keyLength = 32): string {
  const salt = Buffer.alloc(16, 7);
  const key = scryptSync(password.normalize("NFC"), salt, keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the password hash format", () => {
  it("is scrypt$N$r$p$salt$hash with a 16-byte random salt and a 32-byte key", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(new RegExp(`^scrypt\\$16384\\$8\\$5\\$${B64}\\$${B64}$`));
    const [, , , , salt, key] = stored.split("$");
    expect(Buffer.from(salt ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(key ?? "", "base64")).toHaveLength(32);
    const again = await hashPassword(PASSWORD);
    expect(again.split("$")[4]).not.toBe(salt);
    expect(again).not.toBe(stored);
  });

  it("uses one of OWASP's scrypt rows", () => {
    expect(SCRYPT_PARAMS).toMatchObject({ N: 2 ** 14, r: 8, p: 5, saltLength: 16 });
  });

  it("stays within what production workerd accepts: N*r*p <= 2^20 and 128*N*r <= 64 MiB", () => {
    const { N, r, p } = SCRYPT_PARAMS;
    expect(N * r * p).toBeLessThanOrEqual(2 ** 20);
    expect(128 * N * r).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it("is not PBKDF2 (production workerd refuses PBKDF2 above 100 000 iterations)", async () => {
    const subtle = vi.spyOn(crypto.subtle, "deriveBits");
    const stored = await hashPassword(PASSWORD);
    await verifyPassword(PASSWORD, stored);
    expect(subtle).not.toHaveBeenCalled();
    expect(stored.startsWith("scrypt$")).toBe(true);
    // No PBKDF2 verifier exists at all (if one is ever added for legacy hashes, cap it at 100 000).
    expect(passwordsSource).not.toMatch(/pbkdf2/i);
  });
});

describe("verifyPassword", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, stored)).toBe(false);
    expect(await verifyPassword(PASSWORD.slice(0, -1), stored)).toBe(false);
    expect(await verifyPassword(PASSWORD.toUpperCase(), stored)).toBe(false);
  });

  it("never truncates: a change in the 256th character is a different password", async () => {
    const long = `${"é".repeat(255)}1`;
    const stored = await hashPassword(long);
    expect(await verifyPassword(long, stored)).toBe(true);
    expect(await verifyPassword(`${"é".repeat(255)}2`, stored)).toBe(false);
  });

  it("treats composed and decomposed Unicode forms as the same password", async () => {
    const stored = await hashPassword("caf\u00e9-harbor-42");
    expect(await verifyPassword("cafe\u0301-harbor-42", stored)).toBe(true);
  });

  it("verifies hashes made with other parameters, which then need a rehash", async () => {
    const old = legacyHash(PASSWORD, 2 ** 12, 8, 1);
    expect(await verifyPassword(PASSWORD, old)).toBe(true);
    expect(await verifyPassword("wrong-password-9", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  const salt = Buffer.alloc(16, 1).toString("base64");
  const key = Buffer.alloc(32, 2).toString("base64");
  it.each([
    ["empty", ""],
    ["another scheme", `bcrypt$16384$8$5$${salt}$${key}`],
    ["pbkdf2", `pbkdf2-sha256$600000$${salt}$${key}`],
    ["too few parts", `scrypt$16384$8$${salt}$${key}`],
    ["too many parts", `scrypt$16384$8$5$${salt}$${key}$x`],
    ["non-numeric N", `scrypt$abc$8$5$${salt}$${key}`],
    ["N not a power of two", `scrypt$16383$8$5$${salt}$${key}`],
    ["zero p", `scrypt$16384$8$0$${salt}$${key}`],
    ["negative r", `scrypt$16384$-8$5$${salt}$${key}`],
    ["cost above workerd's limit", `scrypt$1048576$8$5$${salt}$${key}`],
    ["memory above 64 MiB", `scrypt$131072$8$1$${salt}$${key}`],
    ["empty key (would match anything)", `scrypt$16384$8$5$${salt}$!!!!`],
    ["short key", `scrypt$16384$8$5$${salt}$${Buffer.alloc(4).toString("base64")}`],
    ["short salt", `scrypt$16384$8$5$AAAA$${key}`],
    ["missing salt", `scrypt$16384$8$5$$${key}`],
  ])("a malformed hash (%s) -> false, never a throw", async (_label, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
    await expect(verifyPassword("", stored)).resolves.toBe(false);
  });
});

describe("needsRehash", () => {
  it("is false for a hash with today's parameters", async () => {
    expect(needsRehash(await hashPassword(PASSWORD))).toBe(false);
  });

  it.each([
    ["lower N", 2 ** 13, 8, 5, 32],
    ["other r", 2 ** 14, 4, 5, 32],
    ["other p", 2 ** 14, 8, 1, 32],
    ["other key length", 2 ** 14, 8, 5, 64],
  ])("is true for %s", (_label, N, r, p, keyLength) => {
    const salt = Buffer.alloc(16, 3).toString("base64");
    const key = Buffer.alloc(keyLength, 4).toString("base64");
    expect(needsRehash(["scrypt", N, r, p, salt, key].join("$"))).toBe(true);
  });

  it("is true for a malformed hash", () => {
    expect(needsRehash("not-a-hash")).toBe(true);
  });
});

describe("password rules", () => {
  it(`accept ${PASSWORD_MIN} to ${PASSWORD_MAX} characters, counted as characters, not bytes`, () => {
    expect(passwordProblem("a".repeat(PASSWORD_MIN - 1))).toMatch(/at least 8/);
    expect(passwordProblem("violet-7")).toBeNull();
    expect(passwordProblem("😀".repeat(PASSWORD_MAX))).toBeNull();
    expect(passwordProblem("😀".repeat(PASSWORD_MAX + 1))).toMatch(/at most 256/);
  });

  it.each(["password", "PASSWORD123", "12345678", "qwertyuiop"])("refuse the common %s", (pw) => {
    expect(passwordProblem(pw)).toMatch(/too common/);
  });

  it("throw a 422 naming the field", () => {
    try {
      assertPasswordAcceptable("short", "new_password");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(422);
      expect((err as AppError).details?.issues?.[0]?.path).toBe("new_password");
    }
  });
});

describe("verifyAgainstDummy", () => {
  it("never matches, whatever the password", async () => {
    expect(await verifyAgainstDummy(PASSWORD)).toBe(false);
    expect(await verifyAgainstDummy("")).toBe(false);
  });
});
