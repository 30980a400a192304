/**
 * Issue 16: platform mail as a phishing relay. A tenant name rides in the subject and body of account mail
 * to any address, so names are one line without links; and one address gets at most a few account mails
 * an hour across all tenants, while the API answers as it always does.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants } from "../../src/db/schema.ts";
import { ACCOUNT_MAIL_PER_RECIPIENT } from "../../src/services/accounts/recipient-limit.ts";
import { callAppDirect, GOOD_PASSWORD, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { callJson, readError } from "../helpers/http.ts";
import { mailsTo, waitForMails } from "../helpers/mail.ts";

const signUp = (name: string, email = `${uniqueName("o")}@example.com`, slug = uniqueName("r")) =>
  callJson("POST", "/api/v1/tenants", { slug, name, email, password: GOOD_PASSWORD });

describe("tenant names", () => {
  it.each([
    ["a line break", "Your account\nis locked, call us"],
    ["a carriage return", "Shop\rSupport"],
    ["a tab", "Shop\tSupport"],
    ["a bidi override", "Shop \u202Emoc.live"],
    ["a zero-width space", "evil\u200B.com"],
    ["an http link", "Claim your prize http://evil.test/x"],
    ["an https link", "https://evil.test"],
    ["www.", "see www.evil"],
    ["a bare domain", "Support at evil.com"],
    ["a domain in capitals", "PAYPAL.COM Security"],
    ["an IDN domain", "Поддержка пример.рф"],
    ["a punycode domain", "bank.xn--p1ai"],
    ["an ideographic dot", "evil。com"],
    ["an e-mail address", "write to help@evil.com"],
    ["an IPv4 address", "Login at 203.0.113.9"],
  ])("with %s -> 422 validation_failed naming `name`", async (_label, name) => {
    const res = await signUp(name);
    const text = await res.clone().text();
    expect(res.status, text).toBe(422);
    const body = await readError(res);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.issues?.map((i) => i.path)).toEqual(["name"]);
  });

  it.each([["Dr. Smith & Sons"], ["Shop No.1"], ["Цветы на Арбате"], ["Café 3.5 — best coffee"]])(
    "accepts %s",
    async (name) => {
      const res = await signUp(name);
      expect(res.status, await res.clone().text()).toBe(201);
      expect(((await res.json()) as { name: string }).name).toBe(name);
    },
  );

  it("is stored trimmed and the length limit stays 100", async () => {
    const created = await signUp("  Garden Shop  ");
    expect(created.status).toBe(201);
    expect(((await created.json()) as { name: string }).name).toBe("Garden Shop");
    expect((await signUp("x".repeat(100))).status).toBe(201);
    expect((await signUp("x".repeat(101))).status).toBe(422);
  });

  it("a name stored before these rules never reaches a mail: the slug stands in", async () => {
    const owner = await seedOwner({ locale: "en" });
    await withDb(({ db }) =>
      db
        .update(tenants)
        .set({ name: "Security alert\nLog in at http://evil.test now" })
        .where(eq(tenants.id, owner.tenantId)),
    );
    const res = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/password/reset`, {
      email: owner.email,
    });
    expect(res.status).toBe(202);
    const [, mail] = await waitForMails(owner.email, 2);
    expect(mail?.subject).toBe(`Reset your password — ${owner.slug}`);
    expect(`${mail?.text}${mail?.html}`).not.toMatch(/evil|Security alert/);
  });
});

describe("account mail per recipient, across tenants", () => {
  it("stops after the hourly cap while every answer stays the same", { timeout: 60_000 }, async () => {
    const victim = `${uniqueName("victim")}@example.com`;
    const { limit } = ACCOUNT_MAIL_PER_RECIPIENT;
    const answers: Array<{ status: number; keys: string[] }> = [];
    const tenantIds: string[] = [];
    // Each sign-up is a different tenant naming the victim as its owner: each mails a confirmation.
    for (let i = 0; i <= limit; i++) {
      const res = await callAppDirect("POST", "/api/v1/tenants", {
        slug: uniqueName("relay"),
        name: `Relay ${i}`,
        email: victim,
        password: GOOD_PASSWORD,
      });
      const body = (await res.json()) as { id: string };
      tenantIds.push(body.id);
      answers.push({ status: res.status, keys: Object.keys(body).sort() });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.status).toBe(201);
    // callAppDirect waited for the deferred sends: what was going to arrive has arrived.
    const mails = await mailsTo(victim);
    expect(mails).toHaveLength(limit);
    expect(mails.map((m) => m.subject).join("\n")).not.toContain(`Relay ${limit}`);

    // Past the cap a reset request for the victim's account answers 202 like one for an unknown
    // address, and sends nothing.
    const path = `/api/v1/tenants/${tenantIds[0]}/password/reset`;
    const unknown = await callJson("POST", path, { email: `${uniqueName("nobody")}@example.com` });
    const reset = await callAppDirect("POST", path, { email: victim });
    expect(reset.status).toBe(202);
    expect(await reset.text()).toBe(await unknown.text());
    expect(await mailsTo(victim)).toHaveLength(limit);
  });
});
