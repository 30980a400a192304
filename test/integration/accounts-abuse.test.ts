/**
 * Brute force on the account routes: rate limits per address and per e-mail, and login timing. Wrong
 * passwords per account (the lockout) are in accounts-lockout.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AUTH_LIMITS } from "../../src/services/platform/rate-limit.ts";
import { GOOD_PASSWORD, type Owner, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { callJson, readError } from "../helpers/http.ts";

let owner: Owner;
beforeAll(async () => {
  owner = await seedOwner();
});

const fresh = () => `${uniqueName("x")}@example.com`;
let ipCounter = 0;
/** A client address no other test of this file uses. */
const fixedIp = () => `203.0.113.${++ipCounter}`;

async function expectRateLimited(res: Response, windowSeconds: number): Promise<void> {
  expect(res.status).toBe(429);
  expect((await readError(res)).error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

/** Sends `limit` requests that must pass the limiter, then one that must not. */
async function exhaust(
  limit: number,
  windowSeconds: number,
  send: (i: number) => Promise<Response>,
  passing: number[],
): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const res = await send(i);
    expect(passing, `attempt ${i + 1}: ${res.status} ${await res.clone().text()}`).toContain(res.status);
  }
  await expectRateLimited(await send(limit), windowSeconds);
}

describe("rate limits", () => {
  const path = (route: string) => `/api/v1/tenants/${owner.tenantId}/${route}`;

  it("login, per address", { timeout: 90_000 }, async () => {
    const { limit, windowSeconds } = AUTH_LIMITS.login.ip;
    const ip = fixedIp();
    const send = () =>
      callJson(
        "POST",
        path("login"),
        { email: fresh(), password: "wrong-password-000" },
        { "cf-connecting-ip": ip },
      );
    await exhaust(limit, windowSeconds, send, [401]);
  });

  it("register, per address", { timeout: 90_000 }, async () => {
    const { limit, windowSeconds } = AUTH_LIMITS.register.ip;
    const ip = fixedIp();
    const send = () =>
      callJson(
        "POST",
        path("register"),
        { email: fresh(), password: GOOD_PASSWORD },
        { "cf-connecting-ip": ip },
      );
    await exhaust(limit, windowSeconds, send, [202]);
  });

  it("register, per e-mail", async () => {
    const { limit, windowSeconds } = AUTH_LIMITS.register.email;
    const email = fresh();
    await exhaust(
      limit,
      windowSeconds,
      () => callJson("POST", path("register"), { email, password: GOOD_PASSWORD }),
      [202],
    );
  });

  it.each([
    ["resend", "confirm/resend", AUTH_LIMITS.resend],
    ["reset", "password/reset", AUTH_LIMITS.reset],
  ] as const)("%s, per address and per e-mail", async (_label, route, limits) => {
    const ip = fixedIp();
    await exhaust(
      limits.ip.limit,
      limits.ip.windowSeconds,
      () => callJson("POST", path(route), { email: fresh() }, { "cf-connecting-ip": ip }),
      [202],
    );
    const email = fresh();
    await exhaust(
      limits.email.limit,
      limits.email.windowSeconds,
      () => callJson("POST", path(route), { email }),
      [202],
    );
  });

  it("sign-up, per address", { timeout: 60_000 }, async () => {
    const { limit, windowSeconds } = AUTH_LIMITS.signUp.ip;
    const ip = fixedIp();
    const send = () =>
      callJson(
        "POST",
        "/api/v1/tenants",
        { slug: "demo", name: "x", email: fresh(), password: GOOD_PASSWORD },
        { "cf-connecting-ip": ip },
      );
    await exhaust(limit, windowSeconds, send, [409]);
  });
});

describe("login timing", () => {
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;

  it("an unknown e-mail takes about as long as a wrong password", { timeout: 60_000 }, async () => {
    const target = await seedOwner();
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await callJson("POST", `/api/v1/tenants/${target.tenantId}/login`, {
        email,
        password: "wrong-password-000",
      });
      const ms = performance.now() - started;
      expect(res.status).toBe(401);
      return { ms, body: await res.text() };
    };
    await timed(fresh()); // warm-up
    const unknown: number[] = [];
    const wrong: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const u = await timed(fresh());
      const w = await timed(target.email);
      unknown.push(u.ms);
      wrong.push(w.ms);
      answers.add(u.body).add(w.body);
    }
    expect(answers.size).toBe(1); // the same answer, byte for byte
    const ratio = median(unknown) / median(wrong);
    expect(ratio, `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
