/**
 * Account mail the SMTP server refused: recorded for the owner (without tokens), listed, and sent again
 * with a fresh, working link. SMTP is made unreachable per request (port 1, as accounts-mail.test.ts
 * does), so the shared sink stays up for the other test files.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { mailDeliveries } from "../../src/db/schema.ts";
import type { MailDelivery } from "../../src/services/accounts/mail-deliveries.ts";
import {
  bearer,
  callAppDirect,
  confirmWith,
  GOOD_PASSWORD,
  loginAs,
  type Owner,
  seedMember,
  seedOwner,
  tokenFromMail,
  uniqueName,
} from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { mailsTo } from "../helpers/mail.ts";

type Delivery = MailDelivery;

const SMTP_DOWN = { overrides: { SMTP_PORT: "1" } };
const failuresPath = (o: Owner, query = "") => `/api/v1/tenants/${o.tenantId}/me/mail/failures${query}`;
const retryPath = (o: Owner, id: string) => `/api/v1/tenants/${o.tenantId}/me/mail/failures/${id}/retry`;
const fresh = () => `${uniqueName("mail")}@example.com`;

async function failures(o: Owner, query = ""): Promise<{ items: Delivery[]; next_cursor: string | null }> {
  const res = await call(failuresPath(o, query), { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { items: Delivery[]; next_cursor: string | null };
}
async function retry(o: Owner, id: string): Promise<Delivery> {
  const res = await call(retryPath(o, id), { method: "POST", headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Delivery;
}
/** Registers `email` while SMTP refuses; the request (and its deferred send) is over when this returns. */
async function registerWhileDown(o: Owner, email: string): Promise<void> {
  const res = await callAppDirect(
    "POST",
    `/api/v1/tenants/${o.tenantId}/register`,
    { email, password: GOOD_PASSWORD },
    SMTP_DOWN,
  );
  expect(res.status).toBe(202);
}
const failureTo = async (o: Owner, email: string) =>
  (await failures(o)).items.find((d) => d.to_email === email) as Delivery;

let owner: Owner;
beforeAll(async () => {
  owner = await seedOwner();
});

describe("recording", () => {
  it("lists a confirmation the SMTP server refused, with the error but never the token", async () => {
    const email = fresh();
    await registerWhileDown(owner, email);
    expect(await mailsTo(email)).toHaveLength(0);
    const res = await call(failuresPath(owner), { headers: bearer(owner.token) });
    const text = await res.clone().text();
    const failure = ((await res.json()) as { items: Delivery[] }).items.find((d) => d.to_email === email);
    expect(failure).toMatchObject({ kind: "confirm", status: "failed", attempts: 1 });
    expect(failure?.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure?.error?.length).toBeGreaterThan(0);
    expect(failure?.error?.length).toBeLessThanOrEqual(300);
    expect(text).not.toMatch(/token=|\/confirm/);
    // The token the failed mail carried exists only as a hash; none of it is in the stored error.
    const [row] = await withDb(({ db }) =>
      db
        .select()
        .from(mailDeliveries)
        .where(eq(mailDeliveries.id, failure?.id ?? "")),
    );
    expect(row?.error).toBe(failure?.error);
  });

  it("records the owner's own confirmation at sign-up and a password reset mail", async () => {
    const slug = uniqueName("down");
    const signUp = await callAppDirect(
      "POST",
      "/api/v1/tenants",
      { slug, name: "Down Co", email: `${slug}@example.com`, password: GOOD_PASSWORD },
      SMTP_DOWN,
    );
    expect(signUp.status).toBe(201);
    const { id } = (await signUp.json()) as { id: string };
    const rows = await withDb(({ db }) =>
      db.select().from(mailDeliveries).where(eq(mailDeliveries.tenantId, id)),
    );
    expect(rows.map((r) => [r.kind, r.toEmail, r.status])).toEqual([
      ["confirm", `${slug}@example.com`, "failed"],
    ]);

    const o = await seedOwner();
    const reset = await callAppDirect(
      "POST",
      `/api/v1/tenants/${o.tenantId}/password/reset`,
      { email: o.email },
      SMTP_DOWN,
    );
    expect(reset.status).toBe(202);
    const [failure] = (await failures(o)).items;
    expect(failure).toMatchObject({ kind: "reset", to_email: o.email, status: "failed" });
  });
});

describe("retrying", () => {
  it("sends the confirmation again with a fresh link that works, and marks the delivery sent", async () => {
    const email = fresh();
    await registerWhileDown(owner, email);
    const failure = await failureTo(owner, email);
    const sent = await retry(owner, failure.id);
    expect(sent).toMatchObject({ id: failure.id, status: "sent", error: null, attempts: 2, to_email: email });
    expect(Date.parse(sent.last_attempt_at)).toBeGreaterThan(Date.parse(failure.last_attempt_at));
    const token = await tokenFromMail(email, "/confirm");
    expect((await confirmWith(owner.slug, token)).status).toBe(200);
    expect(await loginAs(owner.tenantId, email, GOOD_PASSWORD)).toBeTruthy();

    const again = await call(retryPath(owner, failure.id), { method: "POST", headers: bearer(owner.token) });
    expect(again.status).toBe(409);
    expect((await failures(owner, "?status=sent")).items.map((d) => d.id)).toContain(failure.id);
    expect((await failures(owner, "?status=failed")).items.map((d) => d.id)).not.toContain(failure.id);
  });

  it("counts a retry that fails again, with the new error, and succeeds later", async () => {
    const email = fresh();
    await registerWhileDown(owner, email);
    const failure = await failureTo(owner, email);
    const down = await callAppDirect("POST", retryPath(owner, failure.id), undefined, {
      ...SMTP_DOWN,
      headers: bearer(owner.token),
    });
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({ status: "failed", attempts: 2, error: expect.any(String) });
    expect(await mailsTo(email)).toHaveLength(0);
    expect(await retry(owner, failure.id)).toMatchObject({ status: "sent", attempts: 3 });
    expect(await mailsTo(email)).toHaveLength(1);
  });

  it("sends a password reset again with a fresh link that sets the password", async () => {
    const o = await seedOwner();
    await callAppDirect(
      "POST",
      `/api/v1/tenants/${o.tenantId}/password/reset`,
      { email: o.email },
      SMTP_DOWN,
    );
    const [failure] = (await failures(o)).items as [Delivery];
    expect(await retry(o, failure.id)).toMatchObject({ status: "sent", kind: "reset" });
    const token = await tokenFromMail(o.email, "/reset-password", 2);
    const done = await callJson("POST", `/api/v1/tenants/${o.tenantId}/password/reset/confirm`, {
      token,
      password: "another-harbor-77-lantern",
    });
    expect(done.status).toBe(200);
    expect(await loginAs(o.tenantId, o.email, "another-harbor-77-lantern")).toBeTruthy();
  });

  it("refuses a confirmation for an address confirmed since (409), and leaves it listed as failed", async () => {
    const email = fresh();
    await registerWhileDown(owner, email);
    const failure = await failureTo(owner, email);
    expect(
      (await callJson("POST", `/api/v1/tenants/${owner.tenantId}/confirm/resend`, { email })).status,
    ).toBe(202);
    expect((await confirmWith(owner.slug, await tokenFromMail(email, "/confirm"))).status).toBe(200);
    const res = await call(retryPath(owner, failure.id), { method: "POST", headers: bearer(owner.token) });
    expect(res.status).toBe(409);
    expect((await readError(res)).error.message).toMatch(/confirmed/);
    expect(await mailsTo(email)).toHaveLength(1);
    expect((await failureTo(owner, email)).status).toBe("failed");
  });
});

describe("access", () => {
  it("is for the tenant's owners: no token 401, member 403, another owner 403, a foreign delivery 404", async () => {
    const email = fresh();
    await registerWhileDown(owner, email);
    const failure = await failureTo(owner, email);
    const member = await seedMember(owner);
    const other = await seedOwner();
    for (const headers of [{}, bearer(member.token), bearer(other.token)]) {
      const expected = "authorization" in headers ? 403 : 401;
      const list = await call(failuresPath(owner), { headers });
      expect(list.status).toBe(expected);
      expect(await list.text()).not.toContain(email);
      expect((await call(retryPath(owner, failure.id), { method: "POST", headers })).status).toBe(expected);
    }
    // The other owner, on its own tenant's path: the delivery is not there to see or retry.
    expect((await failures(other)).items).toEqual([]);
    const foreign = await call(retryPath(other, failure.id), {
      method: "POST",
      headers: bearer(other.token),
    });
    expect(foreign.status).toBe(404);
    expect((await readError(foreign)).error.code).toBe("not_found");
    const [row] = await withDb(({ db }) =>
      db
        .select({ attempts: mailDeliveries.attempts, status: mailDeliveries.status })
        .from(mailDeliveries)
        .where(and(eq(mailDeliveries.id, failure.id), eq(mailDeliveries.tenantId, owner.tenantId))),
    );
    expect(row).toEqual({ attempts: 1, status: "failed" });
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it("pages with a cursor and refuses one it did not make", async () => {
    const o = await seedOwner();
    for (let i = 0; i < 3; i += 1) await registerWhileDown(o, fresh());
    const first = await failures(o, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await failures(o, `?limit=2&cursor=${first.next_cursor}`);
    expect(second.next_cursor).toBeNull();
    const ids = [...first.items, ...second.items].map((d) => d.id);
    expect(new Set(ids).size).toBe(3);
    const bad = await call(failuresPath(o, "?cursor=abc"), { headers: bearer(o.token) });
    expect(bad.status).toBe(422);
  });
});
