import { describe, expect, it } from "vitest";
import {
  bearer,
  confirmFromMail,
  confirmWith,
  expectError,
  GOOD_PASSWORD,
  loginAs,
  seedOwner,
  tokenFromMail,
  uniqueName,
} from "../helpers/accounts.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { linkIn, mailsTo, waitForMails } from "../helpers/mail.ts";

const DEMO = "00000000-0000-4000-8000-000000000001";

describe("sign-up -> mail -> confirm -> login -> profile", () => {
  it("works end to end over real SMTP and Postgres", async () => {
    const slug = uniqueName("flow");
    const email = `Owner.${slug}@Example.com`;
    const res = await callJson("POST", "/api/v1/tenants", {
      slug,
      name: "Flow Shop",
      email,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      slug: string;
      owner: { email: string; confirmed: boolean };
    };
    expect(created).toMatchObject({ slug, owner: { email: email.toLowerCase(), confirmed: false } });

    // Unconfirmed: the right password is told apart only now.
    const early = await callJson("POST", `/api/v1/tenants/${created.id}/login`, {
      email,
      password: GOOD_PASSWORD,
    });
    expect(early.status).toBe(403);
    expect((await readError(early)).error.code).toBe("email_not_confirmed");

    const [mail] = await waitForMails(email.toLowerCase());
    expect(mail?.subject).toContain("Flow Shop");
    expect(mail?.html).toContain("<a href=");
    const link = linkIn(mail as NonNullable<typeof mail>, "/confirm");
    expect(link.origin).toBe("http://cip.test");
    expect(link.pathname).toBe(`/${slug}/confirm`);
    expect(link.searchParams.get("token")?.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url

    const confirmed = await confirmFromMail(email.toLowerCase());
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ status: "confirmed", tenant_id: created.id });

    const token = await loginAs(created.id, email, GOOD_PASSWORD);
    const me = await call(`/api/v1/tenants/${created.id}/me/profile`, { headers: bearer(token) });
    expect(me.status).toBe(200);
    const profile = (await me.json()) as Record<string, unknown>;
    expect(profile).toMatchObject({ tenant_id: created.id, email: email.toLowerCase(), role: "owner" });
    expect(profile.confirmed_at).not.toBeNull();
    expect(JSON.stringify(profile)).not.toMatch(/password|hash/i);
  });

  it("sends the mail in the tenant's locale", async () => {
    const slug = uniqueName("en");
    const email = `${slug}@example.com`;
    await callJson("POST", "/api/v1/tenants", {
      slug,
      name: "English Co",
      email,
      password: GOOD_PASSWORD,
      locale: "en",
    });
    const [mail] = await waitForMails(email);
    expect(mail?.subject).toBe("Confirm your e-mail — English Co");
    const ruSlug = uniqueName("ru");
    await callJson("POST", "/api/v1/tenants", {
      slug: ruSlug,
      name: "Ру",
      email: `${ruSlug}@example.com`,
      password: GOOD_PASSWORD,
    });
    const [ruMail] = await waitForMails(`${ruSlug}@example.com`);
    expect(ruMail?.subject).toBe("Подтвердите e-mail — Ру");
  });
});

describe("sign-up rules", () => {
  it("refuses a taken slug with 409", async () => {
    const res = await callJson("POST", "/api/v1/tenants", {
      slug: "demo",
      name: "x",
      email: "a@b.co",
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(409);
    expect((await readError(res)).error.code).toBe("slug_taken");
  });

  it.each(["api", "admin", "assets", "www", "static"])("refuses the reserved slug %s", async (slug) => {
    const res = await callJson("POST", "/api/v1/tenants", {
      slug,
      name: "x",
      email: "a@b.co",
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("slug");
  });

  it.each([
    ["too short", "short1"],
    ["common", "password123"],
    ["common, other case", "QwertyUIOP"],
    ["too long", "x".repeat(257)],
  ])("refuses a %s password", async (_label, password) => {
    const res = await callJson("POST", "/api/v1/tenants", {
      slug: uniqueName("pw"),
      name: "x",
      email: "a@b.co",
      password,
    });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("password");
  });

  it("accepts a 256-character password and uses all of it", async () => {
    const owner = await seedOwner();
    const long = `${"é".repeat(255)}1`;
    const patch = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/profile`,
      { current_password: owner.password, new_password: long },
      bearer(owner.token),
    );
    expect(patch.status).toBe(200);
    const wrongLast = `${"é".repeat(255)}2`;
    const res = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/login`, {
      email: owner.email,
      password: wrongLast,
    });
    expect(res.status).toBe(401);
    expect(await loginAs(owner.tenantId, owner.email, long)).toBeTruthy();
  });
});

describe("member registration does not reveal accounts", () => {
  it("answers the same for a new and a known e-mail, and mails the known one differently", async () => {
    const owner = await seedOwner();
    const fresh = `${uniqueName("new")}@example.com`;
    const a = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
      email: fresh,
      password: GOOD_PASSWORD,
    });
    const b = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
      email: owner.email,
      password: GOOD_PASSWORD,
    });
    expect(a.status).toBe(202);
    expect(b.status).toBe(a.status);
    expect(await b.json()).toEqual(await a.json());
    const [known] = (await waitForMails(owner.email, 2)).slice(1);
    expect(known?.subject).toMatch(/уже есть аккаунт/);
    expect(known?.text).toContain(`/${owner.slug}/login`);
    const [newMail] = await waitForMails(fresh);
    expect(newMail?.text).toContain("/confirm?token=");
  });

  it("resend gives the same answer for anyone and mails only unconfirmed accounts", async () => {
    const owner = await seedOwner();
    const email = `${uniqueName("r")}@example.com`;
    await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, { email, password: GOOD_PASSWORD });
    await waitForMails(email, 1);
    const r1 = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/confirm/resend`, { email });
    const r2 = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/confirm/resend`, {
      email: "nobody@example.com",
    });
    expect(r1.status).toBe(202);
    expect(await r2.json()).toEqual(await r1.json());
    await waitForMails(email, 2);
    // The second link works too (the first is still valid until used).
    expect((await confirmFromMail(email, 2)).status).toBe(200);
    expect(await mailsTo("nobody@example.com")).toHaveLength(0);
  });

  it("re-registering an unconfirmed address takes it over: new password and name, old links dead", async () => {
    const owner = await seedOwner();
    const email = `${uniqueName("pre")}@example.com`;
    const register = (password: string, name: string) =>
      callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, { email, password, name });
    // An attacker registers the victim's address first, with a password of their own.
    const attackerPassword = "attacker-knows-this-1";
    const first = await register(attackerPassword, "Mallory");
    expect(first.status).toBe(202);
    const oldToken = await tokenFromMail(email, "/confirm", 1);
    // The real owner of the address registers: the same answer as for any new registration.
    const victimPassword = "victims-own-secret-2";
    const fresh = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
      email: `${uniqueName("new")}@example.com`,
      password: GOOD_PASSWORD,
    });
    const second = await register(victimPassword, "Vera");
    expect(second.status).toBe(fresh.status);
    expect(await second.json()).toEqual(await fresh.json());
    const newToken = await tokenFromMail(email, "/confirm", 2);

    await expectError(await confirmWith(owner.slug, oldToken), 400, "invalid_token");
    expect((await confirmWith(owner.slug, newToken)).status).toBe(200);
    const login = (password: string) =>
      callJson("POST", `/api/v1/tenants/${owner.tenantId}/login`, { email, password });
    await expectError(await login(attackerPassword), 401, "invalid_credentials");
    const token = await loginAs(owner.tenantId, email, victimPassword);
    const me = await (
      await call(`/api/v1/tenants/${owner.tenantId}/me/profile`, { headers: bearer(token) })
    ).json();
    expect(me).toMatchObject({ role: "member", name: "Vera" });
  });

  it("registers into the demo tenant too", async () => {
    const email = `${uniqueName("demo")}@example.com`;
    const res = await callJson("POST", `/api/v1/tenants/${DEMO}/register`, {
      email,
      password: GOOD_PASSWORD,
      name: "Vera",
    });
    expect(res.status).toBe(202);
    await confirmFromMail(email);
    const token = await loginAs(DEMO, email, GOOD_PASSWORD);
    const me = await (await call(`/api/v1/tenants/${DEMO}/me/profile`, { headers: bearer(token) })).json();
    expect(me).toMatchObject({ role: "member", name: "Vera" });
  });
});
