/** Account mail when SMTP fails or is not configured: the account survives and the link still reaches the user. */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "../../src/db/schema.ts";
import {
  callAppDirect,
  confirmWith,
  GOOD_PASSWORD,
  loginAs,
  type Owner,
  seedOwner,
  tokenFromMail,
  uniqueName,
} from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { callJson, readError } from "../helpers/http.ts";
import { mailsTo, setSmtpDown } from "../helpers/mail.ts";

let owner: Owner;
beforeAll(async () => {
  owner = await seedOwner();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const fresh = () => `${uniqueName("x")}@example.com`;

describe("mail delivery problems", () => {
  it("SMTP down during registration: still 202, account unconfirmed, a later resend delivers a working link", async () => {
    const email = fresh();
    await setSmtpDown(true);
    let res: Response;
    try {
      // Called in-process so the deferred delivery attempt has finished before the sink comes back.
      res = await callAppDirect("POST", `/api/v1/tenants/${owner.tenantId}/register`, {
        email,
        password: GOOD_PASSWORD,
      });
    } finally {
      await setSmtpDown(false);
    }
    expect(res.status).toBe(202);
    expect(await mailsTo(email)).toHaveLength(0);
    const [row] = await withDb(({ db }) =>
      db
        .select({ confirmedAt: users.confirmedAt, role: users.role })
        .from(users)
        .where(and(eq(users.tenantId, owner.tenantId), eq(users.email, email))),
    );
    expect(row).toEqual({ confirmedAt: null, role: "member" });
    const early = await callJson("POST", `/api/v1/tenants/${owner.tenantId}/login`, {
      email,
      password: GOOD_PASSWORD,
    });
    expect((await readError(early)).error.code).toBe("email_not_confirmed");

    expect(
      (await callJson("POST", `/api/v1/tenants/${owner.tenantId}/confirm/resend`, { email })).status,
    ).toBe(202);
    const token = await tokenFromMail(email, "/confirm");
    expect((await confirmWith(owner.slug, token)).status).toBe(200);
    expect(await loginAs(owner.tenantId, email, GOOD_PASSWORD)).toBeTruthy();
  });

  it("SMTP unreachable during sign-up: still 201, and the owner can ask for the link again", async () => {
    const slug = uniqueName("down");
    const email = `${slug}@example.com`;
    const started = Date.now();
    // Port 1 on loopback: the connection is refused (the shared sink stays up for other test files).
    const res = await callAppDirect(
      "POST",
      "/api/v1/tenants",
      { slug, name: "Down Co", email, password: GOOD_PASSWORD },
      { overrides: { SMTP_PORT: "1" } },
    );
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(15_000);
    const { id } = (await res.json()) as { id: string };
    expect(await mailsTo(email)).toHaveLength(0);
    expect((await callJson("POST", `/api/v1/tenants/${id}/confirm/resend`, { email })).status).toBe(202);
    expect((await confirmWith(slug, await tokenFromMail(email, "/confirm"))).status).toBe(200);
  });

  it("without SMTP the mail, link included, is printed to the log", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const email = fresh();
    const res = await callAppDirect(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/register`,
      { email, password: GOOD_PASSWORD },
      { overrides: { SMTP_HOST: undefined } },
    );
    expect(res.status).toBe(202);
    const printed = lines.find((l) => l.includes(email)) ?? "";
    const link = /http:\/\/cip\.test\/\S+\/confirm\?token=\S+/.exec(printed)?.[0];
    expect(link, printed).toBeTruthy();
    expect(await mailsTo(email)).toHaveLength(0);
    const token = new URL(link ?? "http://x").searchParams.get("token") ?? "";
    expect((await confirmWith(owner.slug, token)).status).toBe(200);
  });
});
