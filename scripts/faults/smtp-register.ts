/** FAULTS_ONLY=smtp-register: a member registers while SMTP is down (needs the owner of smtp-signup). */
import { api, PASSWORD } from "../lib/api-accounts.ts";
import { Checks, type Ctx, type Outcome, type Scenario, sleep } from "./context.ts";
import { resendAndConfirm, responsive, sinkDown, slugOf, userRow } from "./mail.ts";

async function smtpDownRegistration(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  const owner = ctx.owner;
  if (!owner) throw new Error("needs the owner of the sign-up scenario");
  const tenant = (await api(ctx.stack.baseUrl, `/tenants/by-slug/${await slugOf(ctx, owner.tenantId)}`))
    .body as {
    slug: string;
  };
  await sinkDown(ctx);
  const email = `member-${Date.now().toString(36)}@example.com`;
  const res = await api(ctx.stack.baseUrl, `/tenants/${owner.tenantId}/register`, {
    body: { email, password: PASSWORD, name: "Member" },
  });
  checks.expect(res.status === 202, `register answered ${res.status}`);
  await sleep(3000);
  await responsive(ctx, checks);
  const login = await api(ctx.stack.baseUrl, `/tenants/${owner.tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  checks.expect(login.status === 403, `login before confirming answered ${login.status}`);
  const row = await userRow(ctx, owner.tenantId, email);
  checks.expect(row?.role === "member" && row.confirmed === false, "member row missing or not pending");
  const after = await resendAndConfirm(ctx, checks, owner.tenantId, tenant.slug, email);
  return {
    scenario: "SMTP down during member registration (SMTP_PORT closed)",
    sees: `register ${res.status} \`pending_confirmation\`; login ${login.status}; app stays responsive`,
    stored: `member row, unconfirmed, ${row?.tokens ?? "?"} confirm token(s); no mail`,
    next: after.text,
    problems: checks.problems,
  };
}

export const smtpRegister: Scenario = {
  id: "smtp-register",
  name: "SMTP down during member registration",
  run: smtpDownRegistration,
};
