/**
 * Mail for the SMTP scenarios: the SMTP sink brought up on the app's (until then closed) SMTP port and
 * taken down again, the user rows behind an account, and the resend → confirm → login path.
 */
import { api, confirmToken, PASSWORD, sinkText } from "../lib/api-accounts.ts";
import { startSmtpSink } from "../lib/smtp-sink.ts";
import { type Checks, type Ctx, query, sleep } from "./context.ts";

export async function sinkUp(ctx: Ctx): Promise<void> {
  ctx.sink ??= await startSmtpSink({ smtpPort: ctx.smtpPort, apiPort: ctx.sinkApiPort });
}

/** Closes the SMTP port again (the sink's stop is given 5 s, then left behind). */
export async function sinkDown(ctx: Ctx): Promise<void> {
  const sink = ctx.sink;
  ctx.sink = undefined;
  if (sink) await Promise.race([sink.stop(), sleep(5000)]);
}

/** The user's role, whether confirmed, and how many confirm tokens it has (undefined: no such user). */
export async function userRow(ctx: Ctx, tenantId: string, email: string) {
  const rows = await query<{ id: string; role: string; confirmed: boolean; tokens: string }>(
    ctx.db.directUrl,
    `select u.id, u.role, u.confirmed_at is not null as confirmed,
            (select count(*) from email_tokens t where t.user_id = u.id and t.purpose = 'confirm') as tokens
       from users u where u.tenant_id = $1 and u.email = $2`,
    [tenantId, email],
  );
  return rows[0];
}

export async function slugOf(ctx: Ctx, tenantId: string): Promise<string> {
  const rows = await query<{ slug: string }>(ctx.db.directUrl, "select slug from tenants where id = $1", [
    tenantId,
  ]);
  return rows[0]?.slug ?? "";
}

/** The resend → mail → confirm → login path once the sink is up; returns the access token or "". */
export async function resendAndConfirm(
  ctx: Ctx,
  checks: Checks,
  tenantId: string,
  slug: string,
  email: string,
): Promise<{ token: string; text: string }> {
  await sinkUp(ctx);
  const sinkApi = `http://127.0.0.1:${ctx.sinkApiPort}`;
  const started = Date.now();
  const resend = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/confirm/resend`, { body: { email } });
  checks.expect(resend.status === 202, `resend answered ${resend.status}`);
  const mail = await sinkText(sinkApi, email, 20_000).catch(() => "");
  const mailMs = Date.now() - started;
  if (!checks.expect(mail !== "", "no mail after resend"))
    return { token: "", text: "NO: no mail after resend" };
  const confirm = await api(
    ctx.stack.baseUrl,
    `/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(confirmToken(mail))}`,
  );
  checks.expect(confirm.status === 200, `confirm answered ${confirm.status}`);
  const login = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  checks.expect(login.status === 200, `login after confirm answered ${login.status}`);
  const token = (login.body as { access_token?: string } | null)?.access_token ?? "";
  return {
    token,
    text: `yes: SMTP back, resend 202 → mail in ${mailMs} ms → confirm ${confirm.status} → login ${login.status}`,
  };
}

/** The app stays responsive while the mail fails in the background (worker-mailer once froze the isolate). */
export async function responsive(ctx: Ctx, checks: Checks): Promise<void> {
  const health = await api(ctx.stack.baseUrl, "/health").catch(() => undefined);
  checks.expect(health?.status === 200, "health did not answer while the mail failed");
}
