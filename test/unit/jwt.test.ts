import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { AuthConfig } from "../../src/config.ts";
import { AppError } from "../../src/errors.ts";
import { issueAccessToken, JWT_ISSUER, verifyAccessToken } from "../../src/lib/jwt.ts";

const SECRET = "unit-test-secret-that-is-long-enough-0123456789";
const config: AuthConfig = { jwtKey: new TextEncoder().encode(SECRET), expireMinutes: 15 };
const TENANT = "11111111-1111-4111-8111-111111111111";
const USER = "22222222-2222-4222-8222-222222222222";

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A token with chosen claims and algorithm, signed with `key` (the real one unless told). */
function sign(
  claims: Record<string, unknown>,
  opts: { alg?: string; key?: Uint8Array; exp?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "owner", iat_ms: Date.now(), ...claims })
    .setProtectedHeader({ alg: opts.alg ?? "HS256" })
    .setIssuer(JWT_ISSUER)
    .setAudience(TENANT)
    .setSubject(USER)
    .setIssuedAt(now)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(opts.key ?? config.jwtKey);
}

async function refused(token: string): Promise<AppError> {
  try {
    await verifyAccessToken(config, token);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("the token was accepted");
}

describe("issueAccessToken", () => {
  it("signs HS256 with iss, aud = tenant, sub = user, role, iat, iat_ms and exp", async () => {
    const now = Date.now();
    const issued = await issueAccessToken(config, { userId: USER, tenantId: TENANT, role: "member" }, now);
    expect(issued).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect(decodeProtectedHeader(issued.access_token)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(issued.access_token);
    expect(claims).toEqual({
      iss: "cip",
      aud: TENANT,
      sub: USER,
      role: "member",
      iat: Math.floor(now / 1000),
      iat_ms: now,
      exp: Math.floor(now / 1000) + 900,
    });
  });

  it("round-trips through verifyAccessToken, keeping the millisecond issue time", async () => {
    const now = Date.now();
    const { access_token } = await issueAccessToken(
      config,
      { userId: USER, tenantId: TENANT, role: "owner" },
      now,
    );
    expect(await verifyAccessToken(config, access_token)).toEqual({
      userId: USER,
      tenantId: TENANT,
      role: "owner",
      issuedAtMs: now,
    });
  });
});

describe("verifyAccessToken", () => {
  it("pins HS256: the same key under HS384/HS512 is refused", async () => {
    for (const alg of ["HS384", "HS512"]) {
      expect((await refused(await sign({}, { alg }))).code).toBe("unauthorized");
    }
  });

  it("refuses alg none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: "cip", aud: TENANT, sub: USER, role: "owner", iat: now, exp: now + 600 };
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;
    expect((await refused(token)).code).toBe("unauthorized");
  });

  it("refuses a token signed with another key", async () => {
    const other = new TextEncoder().encode("another-secret-that-is-long-enough-0123456789");
    expect((await refused(await sign({}, { key: other }))).code).toBe("unauthorized");
  });

  it("refuses an expired token and says so", async () => {
    const err = await refused(await sign({}, { exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(err.code).toBe("unauthorized");
    expect(err.message).toMatch(/expired/);
  });

  it("refuses another issuer, a tampered payload and garbage", async () => {
    const foreign = await new SignJWT({ role: "owner" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("someone-else")
      .setAudience(TENANT)
      .setSubject(USER)
      .setExpirationTime("10m")
      .sign(config.jwtKey);
    expect((await refused(foreign)).code).toBe("unauthorized");

    const [header, , signature] = (await sign({ role: "member" })).split(".");
    const tampered = `${header}.${b64url({ iss: "cip", aud: TENANT, sub: USER, role: "owner" })}.${signature}`;
    expect((await refused(tampered)).code).toBe("unauthorized");

    for (const junk of ["", "abc", "a.b.c", "..."]) expect((await refused(junk)).code).toBe("unauthorized");
  });

  it.each([
    ["an unknown role", { role: "admin" }],
    ["no role", { role: undefined }],
  ])("refuses %s", async (_label, claims) => {
    expect((await refused(await sign(claims))).code).toBe("unauthorized");
  });

  it("refuses a token without an expiry", async () => {
    const forever = await new SignJWT({ role: "owner", iat_ms: Date.now() })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(JWT_ISSUER)
      .setAudience(TENANT)
      .setSubject(USER)
      .setIssuedAt()
      .sign(config.jwtKey);
    expect((await refused(forever)).code).toBe("unauthorized");
  });

  it("falls back to iat (in ms) when iat_ms is missing", async () => {
    const token = await sign({ iat_ms: undefined });
    const { issuedAtMs } = await verifyAccessToken(config, token);
    expect(issuedAtMs).toBe((decodeJwt(token).iat ?? 0) * 1000);
  });
});
