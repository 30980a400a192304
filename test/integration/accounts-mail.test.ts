/**
 * Account mail when SMTP fails or is not configured: the account survives, the link still reaches the
 * user once mail works, and the log never carries a link's token or the recipient's address.
 */

import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { emailTokens, mailDeliveries, users } from "../../src/db/schema.ts";
import type { Bindings } from "../../src/env.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { sendAccountMail } from "../../src/services/accounts/account-mail.ts";
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

/** Every line written to the console from now until the test ends. */
function captureConsole(): string[] {
  const lines: string[] = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
  return lines;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The stored hashes of every e-mail token of the account with this address. */
async function tokenHashesOf(tenantId: string, email: string): Promise<string[]> {
  const rows = await withDb(({ db }) =>
    db
      .select({ hash: emailTokens.tokenHash })
      .from(emailTokens)
      .where(and(eq(emailTokens.tenantId, tenantId), eq(emailTokens.email, email))),
  );
  return rows.map((r) => r.hash);
}

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

  it("without SMTP the log says a mail was not sent, without its token or the address", async () => {
    const lines = captureConsole();
    const email = fresh();
    const noSmtp = { overrides: { SMTP_HOST: undefined } };
    const path = `/api/v1/tenants/${owner.tenantId}`;
    // A confirmation (token made in the request) and a reset (token made after the answer).
    const register = await callAppDirect(
      "POST",
      `${path}/register`,
      { email, password: GOOD_PASSWORD },
      noSmtp,
    );
    expect(register.status).toBe(202);
    const reset = await callAppDirect("POST", `${path}/password/reset`, { email }, noSmtp);
    expect(reset.status).toBe(202);
    expect(await mailsTo(email)).toHaveLength(0);

    const printed = lines.filter((l) => l.includes("mail not sent"));
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/\/confirm\?\[redacted\]/);
    expect(printed[1]).toMatch(/\/reset-password\?\[redacted\]/);
    const all = lines.join("\n");
    expect(all).not.toContain(email);
    expect(all).not.toMatch(/token=[A-Za-z0-9_%-]{8,}/);
    // No run of token characters anywhere in the log hashes to a token the user holds.
    const hashes = await tokenHashesOf(owner.tenantId, email);
    expect(hashes).toHaveLength(2);
    for (const candidate of safeDecode(all).match(/[A-Za-z0-9_-]{20,}/g) ?? []) {
      for (let start = 0; start + 43 <= candidate.length; start++) {
        expect(hashes).not.toContain(await sha256Hex(candidate.slice(start, start + 43)));
      }
    }
  });

  it("an SMTP refusal quoting the recipient is logged without the address", async () => {
    const lines = captureConsole();
    const victim = fresh();
    const pending: Array<Promise<unknown>> = [];
    const refusing = {
      send: () =>
        Promise.reject(new Error(`550 5.1.1 <${victim}>: Recipient address rejected: User unknown`)),
    };
    await withDb(async ({ db }) => {
      const deps = {
        db,
        env: env as unknown as Bindings,
        mailer: refusing,
        baseUrl: "http://cip.test",
        defer: (work: Promise<unknown>) => void pending.push(work),
        ip: "192.0.2.1",
      };
      sendAccountMail(deps, "already_registered", {
        to: victim,
        tenant: { id: owner.tenantId, slug: owner.slug, name: "Shop", locale: "en" },
        userId: owner.userId,
      });
      await Promise.all(pending);
    });
    const line = lines.find((l) => l.includes("account mail not delivered")) ?? "";
    expect(line).toContain("Recipient address rejected");
    expect(line).toContain("[address]");
    expect(lines.join("\n")).not.toContain(victim);
    // The owner still sees whom the mail was for, in the cabinet's list of failed mail.
    const [row] = await withDb(({ db }) =>
      db
        .select({ toEmail: mailDeliveries.toEmail })
        .from(mailDeliveries)
        .where(and(eq(mailDeliveries.tenantId, owner.tenantId), eq(mailDeliveries.toEmail, victim))),
    );
    expect(row?.toEmail).toBe(victim);
  });
});
