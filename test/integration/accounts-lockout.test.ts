/**
 * Issue 16: wrong passwords cannot lock an owner out. Failures count per (tenant, e-mail, client address)
 * with a looser cap per (tenant, e-mail) across addresses; a right password from an address without
 * failures passes, and clears its own address. The same holds for the password change in the profile.
 */
import { describe, expect, it } from "vitest";
import { PASSWORD_FAILURE_LIMITS } from "../../src/services/accounts/login-guard.ts";
import { bearer, GOOD_PASSWORD, type Owner, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { callJson, readError } from "../helpers/http.ts";

const { perAddress, perEmail } = PASSWORD_FAILURE_LIMITS;
const WRONG = "wrong-password-000";

let ipCounter = 0;
/** A client address no other test uses (198.18.0.0/15 is set aside for benchmarks). */
const nextIp = () => {
  ipCounter += 1;
  return `198.18.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
};

const login = (o: Pick<Owner, "tenantId" | "email">, password: string, ip: string) =>
  callJson(
    "POST",
    `/api/v1/tenants/${o.tenantId}/login`,
    { email: o.email, password },
    { "cf-connecting-ip": ip },
  );

const changePassword = (o: Owner, current: string, ip: string, token = o.token) =>
  callJson(
    "PATCH",
    `/api/v1/tenants/${o.tenantId}/me/profile`,
    { current_password: current, new_password: "brand-new-pass-77" },
    { ...bearer(token), "cf-connecting-ip": ip },
  );

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  expect(res.status, `${what}: ${await res.clone().text()}`).toBe(status);
}

async function expectLocked(res: Response): Promise<void> {
  await expectStatus(res, 429, "locked");
  expect((await readError(res)).error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(perAddress.windowSeconds);
}

describe("login lockout", () => {
  it("an attacker's address fails 11 times: it is refused, the owner signs in from another", async () => {
    const owner = await seedOwner();
    const attacker = nextIp();
    for (let i = 1; i <= perAddress.limit; i++) {
      await expectStatus(await login(owner, WRONG, attacker), 401, `wrong password ${i}`);
    }
    await expectLocked(await login(owner, WRONG, attacker));
    // Locked means locked: the right password from that address is refused too.
    await expectLocked(await login(owner, owner.password, attacker));
    await expectStatus(await login(owner, owner.password, nextIp()), 200, "the owner elsewhere");
  });

  it("a right password clears its address's failures", async () => {
    const owner = await seedOwner();
    const ip = nextIp();
    for (let i = 1; i < perAddress.limit; i++) {
      await expectStatus(await login(owner, WRONG, ip), 401, `wrong password ${i}`);
    }
    await expectStatus(await login(owner, owner.password, ip), 200, "right password after 9 failures");
    // The count starts over: a full allowance of failures again, then the lock.
    for (let i = 1; i <= perAddress.limit; i++) {
      await expectStatus(await login(owner, WRONG, ip), 401, `wrong password ${i} after the success`);
    }
    await expectLocked(await login(owner, WRONG, ip));
  });

  it("an unknown e-mail is counted like a known one, so a 429 tells nothing", async () => {
    const owner = await seedOwner();
    const stranger = { tenantId: owner.tenantId, email: `${uniqueName("nobody")}@example.com` };
    const ip = nextIp();
    for (let i = 1; i <= perAddress.limit; i++) {
      await expectStatus(await login(stranger, WRONG, ip), 401, `unknown address ${i}`);
    }
    await expectLocked(await login(stranger, WRONG, ip));
  });

  it("the per-e-mail cap across many addresses holds, for that e-mail only", {
    timeout: 120_000,
  }, async () => {
    const owner = await seedOwner();
    const colleague = await seedOwner();
    for (let i = 1; i <= perEmail.limit; i++) {
      await expectStatus(await login(owner, WRONG, nextIp()), 401, `wrong password from address ${i}`);
    }
    await expectLocked(await login(owner, WRONG, nextIp()));
    // The cap is what stops a guesser with many addresses: past it even a new address waits.
    await expectLocked(await login(owner, owner.password, nextIp()));
    // Another account is not touched.
    await expectStatus(await login(colleague, colleague.password, nextIp()), 200, "another account");
  });
});

describe("profile password change", () => {
  it("wrong current passwords lock that address only; the right one from another changes it", async () => {
    const owner = await seedOwner();
    const attacker = nextIp();
    for (let i = 1; i <= perAddress.limit; i++) {
      await expectStatus(await changePassword(owner, WRONG, attacker), 422, `wrong current password ${i}`);
    }
    await expectLocked(await changePassword(owner, WRONG, attacker));
    await expectLocked(await changePassword(owner, owner.password, attacker));
    // The profile and the login form share the count: the address is locked for both.
    await expectLocked(await login(owner, owner.password, attacker));

    const changed = await changePassword(owner, owner.password, nextIp());
    await expectStatus(changed, 200, "the owner elsewhere");
    expect(((await changed.json()) as { access_token?: unknown }).access_token).toBeTruthy();
    await expectStatus(await login(owner, "brand-new-pass-77", nextIp()), 200, "the new password");
  });

  it("a missing current password is refused without counting as a guess", async () => {
    const owner = await seedOwner();
    const ip = nextIp();
    for (let i = 0; i <= perAddress.limit; i++) {
      const res = await callJson(
        "PATCH",
        `/api/v1/tenants/${owner.tenantId}/me/profile`,
        { new_password: "brand-new-pass-77" },
        { ...bearer(owner.token), "cf-connecting-ip": ip },
      );
      await expectStatus(res, 422, `no current password ${i}`);
    }
    await expectStatus(await changePassword(owner, GOOD_PASSWORD, ip), 200, "the right one");
  });
});
