/** E-mail tokens (confirm, reset): single use, expiry, purpose and tenant binding, storage, reset path. */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailTokens, users } from "../../src/db/schema.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import {
  bearer,
  confirmWith,
  expectError,
  GOOD_PASSWORD,
  loginAs,
  registerUnconfirmed,
  seedOwner,
  tokenFromMail,
} from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson } from "../helpers/http.ts";
import { mailsTo, waitForMails } from "../helpers/mail.ts";

const NEW_PASSWORD = "quiet-meadow-17-compass";

/** Moves a stored token's expiry into the past, straight in the database. */
async function expireToken(token: string): Promise<void> {
  const hash = await sha256Hex(token);
  const updated = await withDb(({ db }) =>
    db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailTokens.tokenHash, hash))
      .returning({ id: emailTokens.id }),
  );
  expect(updated).toHaveLength(1);
}

async function isConfirmed(tenantId: string, email: string): Promise<boolean> {
  const [row] = await withDb(({ db }) =>
    db
      .select({ confirmedAt: users.confirmedAt })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, email))),
  );
  return Boolean(row?.confirmedAt);
}

const requestReset = (tenantId: string, email: string) =>
  callJson("POST", `/api/v1/tenants/${tenantId}/password/reset`, { email });
const completeReset = (tenantId: string, token: string, password = NEW_PASSWORD) =>
  callJson("POST", `/api/v1/tenants/${tenantId}/password/reset/confirm`, { token, password });
const login = (tenantId: string, email: string, password: string) =>
  callJson("POST", `/api/v1/tenants/${tenantId}/login`, { email, password });

describe("confirmation tokens", () => {
  it("work once: a second use -> 410 token_used", async () => {
    const owner = await seedOwner();
    const { token } = await registerUnconfirmed(owner.tenantId);
    expect((await confirmWith(owner.slug, token)).status).toBe(200);
    await expectError(await confirmWith(owner.slug, token), 410, "token_used");
  });

  it("expire: an expired token -> 410 token_expired and the account stays unconfirmed", async () => {
    const owner = await seedOwner();
    const { email, token } = await registerUnconfirmed(owner.tenantId);
    const hash = await sha256Hex(token);
    const [row] = await withDb(({ db }) =>
      db
        .select({ expiresAt: emailTokens.expiresAt, createdAt: emailTokens.createdAt })
        .from(emailTokens)
        .where(eq(emailTokens.tokenHash, hash)),
    );
    const ttl = (row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0);
    expect(Math.abs(ttl - 24 * 60 * 60 * 1000)).toBeLessThan(60_000);
    await expireToken(token);
    await expectError(await confirmWith(owner.slug, token), 410, "token_expired");
    expect(await isConfirmed(owner.tenantId, email)).toBe(false);
  });

  it("an unknown token -> 400 invalid_token", async () => {
    const owner = await seedOwner();
    await expectError(await confirmWith(owner.slug, "A".repeat(43)), 400, "invalid_token");
    await expectError(await confirmWith(owner.slug, "x"), 400, "invalid_token");
  });

  it("are bound to their tenant: tenant A's token under tenant B's slug -> 400, and still works for A", async () => {
    const a = await seedOwner();
    const b = await seedOwner();
    const { email, token } = await registerUnconfirmed(a.tenantId);
    await expectError(await confirmWith(b.slug, token), 400, "invalid_token");
    expect(await isConfirmed(a.tenantId, email)).toBe(false);
    expect((await confirmWith(a.slug, token)).status).toBe(200);
  });

  it("an unknown slug -> 404 tenant_not_found", async () => {
    const a = await seedOwner();
    const { token } = await registerUnconfirmed(a.tenantId);
    await expectError(await confirmWith("no-such-tenant-here", token), 404, "tenant_not_found");
  });

  it("are stored only as a hash: no row anywhere in the database contains the token", async () => {
    const owner = await seedOwner();
    const { token } = await registerUnconfirmed(owner.tenantId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/); // >= 256 bits
    const hash = await sha256Hex(token);
    await withDb(async ({ db }) => {
      const stored = await db.select().from(emailTokens).where(eq(emailTokens.tokenHash, hash));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ purpose: "confirm", tenantId: owner.tenantId, usedAt: null });
      const tables = await db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      );
      expect(tables.rows.length).toBeGreaterThan(3);
      for (const { table_name } of tables.rows) {
        const found = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from ${sql.identifier(table_name)} t where strpos(t::text, ${token}) > 0`,
        );
        expect(found.rows[0]?.n, `table ${table_name}`).toBe(0);
      }
    });
  });
});

describe("password reset", () => {
  it("request -> mail -> new password: old password 401, new works, old sessions end, link single-use", async () => {
    const owner = await seedOwner();
    const oldSession = owner.token;
    const res = await requestReset(owner.tenantId, owner.email);
    expect(res.status).toBe(202);
    const token = await tokenFromMail(owner.email, "/reset-password", 2);
    const [, mail] = await mailsTo(owner.email);
    expect(mail?.text).toContain(`http://cip.test/${owner.slug}/reset-password?token=`);
    expect(mail?.html).toContain("reset-password?token=");

    const done = await completeReset(owner.tenantId, token);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ status: "password_changed" });

    await expectError(await login(owner.tenantId, owner.email, GOOD_PASSWORD), 401, "invalid_credentials");
    const fresh = await loginAs(owner.tenantId, owner.email, NEW_PASSWORD);
    const old = await call(`/api/v1/tenants/${owner.tenantId}/me/profile`, { headers: bearer(oldSession) });
    await expectError(old, 401, "unauthorized");
    const now = await call(`/api/v1/tenants/${owner.tenantId}/me/profile`, { headers: bearer(fresh) });
    expect(now.status).toBe(200);

    await expectError(await completeReset(owner.tenantId, token, "another-fine-pass-99"), 410, "token_used");
    expect(await loginAs(owner.tenantId, owner.email, NEW_PASSWORD)).toBeTruthy();
  });

  it("using one reset link kills the other outstanding ones", async () => {
    const owner = await seedOwner();
    await requestReset(owner.tenantId, owner.email);
    await requestReset(owner.tenantId, owner.email);
    const first = await tokenFromMail(owner.email, "/reset-password", 2);
    const second = await tokenFromMail(owner.email, "/reset-password", 3);
    expect(first).not.toBe(second);
    expect((await completeReset(owner.tenantId, second)).status).toBe(200);
    await expectError(await completeReset(owner.tenantId, first, "yet-another-pass-31"), 410, "token_used");
    expect(await loginAs(owner.tenantId, owner.email, NEW_PASSWORD)).toBeTruthy();
  });

  it("a refused new password does not spend the link", async () => {
    const owner = await seedOwner();
    await requestReset(owner.tenantId, owner.email);
    const token = await tokenFromMail(owner.email, "/reset-password", 2);
    await expectError(await completeReset(owner.tenantId, token, "password123"), 422, "validation_failed");
    expect((await completeReset(owner.tenantId, token)).status).toBe(200);
  });

  it("reset links expire after their hour (410 token_expired)", async () => {
    const owner = await seedOwner();
    await requestReset(owner.tenantId, owner.email);
    const token = await tokenFromMail(owner.email, "/reset-password", 2);
    const hash = await sha256Hex(token);
    const [row] = await withDb(({ db }) =>
      db
        .select({ expiresAt: emailTokens.expiresAt, createdAt: emailTokens.createdAt })
        .from(emailTokens)
        .where(eq(emailTokens.tokenHash, hash)),
    );
    const ttl = (row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0);
    expect(Math.abs(ttl - 60 * 60 * 1000)).toBeLessThan(60_000);
    await expireToken(token);
    await expectError(await completeReset(owner.tenantId, token), 410, "token_expired");
    expect(await loginAs(owner.tenantId, owner.email, GOOD_PASSWORD)).toBeTruthy();
  });

  it("a reset token never confirms, and a confirm token never resets", async () => {
    const owner = await seedOwner();
    const { email, token: confirmToken } = await registerUnconfirmed(owner.tenantId);
    await requestReset(owner.tenantId, email);
    const resetToken = await tokenFromMail(email, "/reset-password", 2);

    await expectError(await confirmWith(owner.slug, resetToken), 400, "invalid_token");
    expect(await isConfirmed(owner.tenantId, email)).toBe(false);
    await expectError(await completeReset(owner.tenantId, confirmToken), 400, "invalid_token");
    await expectError(await login(owner.tenantId, email, NEW_PASSWORD), 401, "invalid_credentials");

    // Neither was spent by the wrong use.
    expect((await confirmWith(owner.slug, confirmToken)).status).toBe(200);
    expect((await completeReset(owner.tenantId, resetToken)).status).toBe(200);
  });

  it("a reset token of tenant A does nothing on tenant B", async () => {
    const a = await seedOwner();
    const b = await seedOwner();
    await requestReset(a.tenantId, a.email);
    const token = await tokenFromMail(a.email, "/reset-password", 2);
    await expectError(await completeReset(b.tenantId, token), 400, "invalid_token");
    expect((await completeReset(a.tenantId, token)).status).toBe(200);
  });

  it("a password change in the profile ends open reset links (410 token_expired, as if expired)", async () => {
    const owner = await seedOwner();
    await requestReset(owner.tenantId, owner.email);
    const token = await tokenFromMail(owner.email, "/reset-password", 2);
    const changed = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/profile`,
      { current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD },
      bearer(owner.token),
    );
    expect(changed.status).toBe(200);
    const stale = await expectError(
      await completeReset(owner.tenantId, token, "another-fine-pass-99"),
      410,
      "token_expired",
    );
    // Byte for byte the answer an expired link gets.
    await requestReset(owner.tenantId, owner.email);
    const later = await tokenFromMail(owner.email, "/reset-password", 3);
    await expireToken(later);
    expect(await expectError(await completeReset(owner.tenantId, later), 410, "token_expired")).toBe(stale);
    expect(await loginAs(owner.tenantId, owner.email, NEW_PASSWORD)).toBeTruthy();
  });

  it("answers the same for an unknown address and mails nothing", async () => {
    const owner = await seedOwner();
    const known = await requestReset(owner.tenantId, owner.email);
    const unknown = await requestReset(owner.tenantId, `nobody-${owner.slug}@example.com`);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    await waitForMails(owner.email, 2);
    expect(await mailsTo(`nobody-${owner.slug}@example.com`)).toHaveLength(0);
  });
});
