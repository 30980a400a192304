import { describe, expect, it } from "vitest";
import { authConfig, smtpConfig } from "../../src/config.ts";
import type { Bindings } from "../../src/env.ts";
import { AppError } from "../../src/errors.ts";

const env = (vars: Partial<Bindings>) => vars as Bindings;
const GOOD = "x".repeat(32);

function refusal(vars: Partial<Bindings>): AppError {
  try {
    authConfig(env(vars));
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("authConfig accepted the secret");
}

describe("authConfig", () => {
  it("refuses a missing JWT_SECRET with code misconfigured (503)", () => {
    const err = refusal({});
    expect(err.code).toBe("misconfigured");
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/JWT_SECRET is not set/);
    expect(refusal({ JWT_SECRET: "" }).code).toBe("misconfigured");
  });

  it("refuses a JWT_SECRET shorter than 32 bytes", () => {
    const err = refusal({ JWT_SECRET: "x".repeat(31) });
    expect(err.code).toBe("misconfigured");
    expect(err.message).toMatch(/shorter than 32 bytes/);
    expect(err.message).not.toContain("x".repeat(31));
  });

  it("counts bytes, not characters", () => {
    // 16 two-byte characters are 32 bytes.
    expect(authConfig(env({ JWT_SECRET: "é".repeat(16) })).jwtKey.byteLength).toBe(32);
    expect(refusal({ JWT_SECRET: `${"é".repeat(15)}x` }).code).toBe("misconfigured");
  });

  it("accepts a 32-byte secret and uses it as the key", () => {
    const config = authConfig(env({ JWT_SECRET: GOOD }));
    expect(new TextDecoder().decode(config.jwtKey)).toBe(GOOD);
    expect(config.expireMinutes).toBe(60);
  });

  it.each([
    ["15", 15],
    ["0.5", 0.5],
    ["0", 60],
    ["-5", 60],
    ["soon", 60],
  ])("reads JWT_EXPIRE_MINUTES=%s as %s", (value, minutes) => {
    expect(authConfig(env({ JWT_SECRET: GOOD, JWT_EXPIRE_MINUTES: value })).expireMinutes).toBe(minutes);
  });
});

describe("smtpConfig", () => {
  it("is null without SMTP_HOST (mail goes to the log)", () => {
    expect(smtpConfig(env({}))).toBeNull();
  });

  it("reads host, port and sender", () => {
    expect(smtpConfig(env({ SMTP_HOST: "mail", SMTP_PORT: "2525", SMTP_FROM: "A <a@b.co>" }))).toEqual({
      host: "mail",
      port: 2525,
      from: "A <a@b.co>",
    });
  });
});
