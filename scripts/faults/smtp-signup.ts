/** FAULTS_ONLY=smtp-signup: a tenant signs up while SMTP is down; the owner it makes is kept in ctx.owner. */
import { api, PASSWORD, uniqueSlug } from "../lib/api-accounts.ts";
import { Checks, type Ctx, type Outcome, type Scenario, sleep } from "./context.ts";
import { resendAndConfirm, responsive, sinkDown, userRow } from "./mail.ts";

async function smtpDownSignUp(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  await sinkDown(ctx);
  const slug = uniqueSlug("faults");
  const email = `owner@${slug}.example.com`;
  const logBefore = ctx.stack.output().split("account mail not delivered").length;
  const res = await api(ctx.stack.baseUrl, "/tenants", {
    body: { slug, name: `Shop ${slug}`, email, password: PASSWORD, locale: "en" },
  });
  const tenant = res.body as { id?: string; owner?: { confirmed?: boolean } };
  checks.expect(res.status === 201 && tenant.owner?.confirmed === false, `sign-up answered ${res.status}`);
  const tenantId = tenant.id ?? "";
  await sleep(3000); // the mail goes out after the response (waitUntil) and fails
  await responsive(ctx, checks);
  const logged = ctx.stack.output().split("account mail not delivered").length > logBefore;
  checks.expect(logged, "the failed delivery was not logged");
  const login = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  const loginCode = (login.body as { error?: { code?: string } } | null)?.error?.code;
  checks.expect(
    login.status === 403 && loginCode === "email_not_confirmed",
    `login answered ${login.status}`,
  );
  const row = tenantId ? await userRow(ctx, tenantId, email) : undefined;
  checks.expect(row?.role === "owner" && row.confirmed === false, "owner row missing or not pending");
  const after = await resendAndConfirm(ctx, checks, tenantId, slug, email);
  if (after.token) ctx.owner = { tenantId, token: after.token };
  return {
    scenario: "SMTP down during tenant sign-up (SMTP_PORT closed)",
    sees: `sign-up ${res.status} (owner confirmed: false); login ${login.status} ${loginCode ?? ""}; app stays responsive`,
    stored: `tenant + owner row, unconfirmed, ${row?.tokens ?? "?"} confirm token(s); no mail; log: ${logged ? '"account mail not delivered"' : "nothing"}`,
    next: after.text,
    problems: checks.problems,
  };
}

export const smtpSignUp: Scenario = {
  id: "smtp-signup",
  name: "SMTP down during tenant sign-up",
  run: smtpDownSignUp,
};
