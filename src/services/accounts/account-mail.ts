import { openDatabase } from "../../db/client.ts";
import { log } from "../../lib/log.ts";
import { redactEmails } from "../../lib/redact.ts";
import type { MailMessage } from "../../mail/mailer.ts";
import { type AccountMailKind, accountMail, type Locale } from "../../mail/templates.ts";
import { tenantNameProblem } from "../../schemas/tenant-name.ts";
import type { AccountDeps } from "./context.ts";
import { createEmailToken, type TokenPurpose } from "./email-tokens.ts";
import { mailErrorText, recordMailFailure } from "./mail-deliveries.ts";
import { recipientAllows } from "./recipient-limit.ts";

export interface MailTenant {
  id: string;
  slug: string;
  name: string;
  locale: string;
}

type MailOpts = { to: string; tenant: MailTenant; userId: string | null; token?: string | undefined };

/** The page a mail links to; the token travels only in this link. */
function linkFor(baseUrl: string, kind: AccountMailKind, slug: string, token?: string): string {
  const page = kind === "confirm" ? "confirm" : kind === "reset" ? "reset-password" : "login";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${baseUrl}/${encodeURIComponent(slug)}/${page}${query}`;
}

/**
 * The name a mail shows: the tenant's, unless it breaks today's rules (a name stored before them, with
 * a line break or a link); then the slug, which cannot carry either.
 */
function siteName(tenant: MailTenant): string {
  const name = tenant.name.trim();
  return name && !tenantNameProblem(name) ? name : tenant.slug;
}

/** One account mail in the tenant's locale, with its link. */
export function buildAccountMail(
  baseUrl: string,
  kind: AccountMailKind,
  opts: { to: string; tenant: MailTenant; token?: string | undefined },
): MailMessage {
  const locale: Locale = opts.tenant.locale === "en" ? "en" : "ru";
  return accountMail(kind, {
    to: opts.to,
    locale,
    siteName: siteName(opts.tenant),
    link: linkFor(baseUrl, kind, opts.tenant.slug, opts.token),
  });
}

/**
 * Sends an account mail after the response, within the platform-wide cap per recipient
 * (recipient-limit.ts). A delivery failure is logged (without the address or the link) and recorded in
 * `mail_deliveries` (without the token) for the owner to see and retry; the account stays as it is, and
 * the user can also ask for the mail again.
 */
export function sendAccountMail(
  deps: AccountDeps,
  kind: AccountMailKind,
  opts: { to: string; tenant: MailTenant; userId: string | null; token?: string },
): void {
  deps.defer(
    (async () => {
      if (await recipientAllows(deps.env, opts.to, { kind, tenant: opts.tenant.slug })) {
        await deliver(deps, kind, opts);
      }
    })(),
  );
}

/** Makes a fresh single-use token of `purpose` in the request's transaction and mails its link. */
export async function mailNewToken(
  deps: AccountDeps,
  purpose: TokenPurpose,
  opts: { tenant: MailTenant; userId: string; email: string },
): Promise<void> {
  const token = await createEmailToken(deps.db, {
    tenantId: opts.tenant.id,
    userId: opts.userId,
    email: opts.email,
    purpose,
  });
  sendAccountMail(deps, purpose, { to: opts.email, tenant: opts.tenant, userId: opts.userId, token });
}

/**
 * Like `mailNewToken`, but all of it after the response: the token is written and committed on a
 * connection of its own, then mailed. Requests that must answer alike for known and unknown addresses
 * (reset, resend) use it, so a known address costs the request no write and no awaited commit and the
 * answer's timing does not tell whether the address has an account. The user must already be committed.
 */
export function mailNewTokenAfterResponse(
  deps: AccountDeps,
  purpose: TokenPurpose,
  opts: { tenant: MailTenant; userId: string; email: string },
): void {
  deps.defer(
    (async () => {
      if (!(await recipientAllows(deps.env, opts.email, { kind: purpose, tenant: opts.tenant.slug }))) return;
      const token = await storeTokenApart(deps, purpose, opts);
      if (token)
        await deliver(deps, purpose, { to: opts.email, tenant: opts.tenant, userId: opts.userId, token });
    })(),
  );
}

/** Writes and commits a token on its own connection; null (logged) when the database refused. */
async function storeTokenApart(
  deps: AccountDeps,
  purpose: TokenPurpose,
  opts: { tenant: MailTenant; userId: string; email: string },
): Promise<string | null> {
  const handle = openDatabase(deps.env, () => opts.tenant.id);
  try {
    const token = await createEmailToken(handle.db, {
      tenantId: opts.tenant.id,
      userId: opts.userId,
      email: opts.email,
      purpose,
    });
    await handle.finish();
    return token;
  } catch (err) {
    log("error", "account mail token not stored", {
      kind: purpose,
      tenant: opts.tenant.slug,
      error: redactEmails(err instanceof Error ? err.message.slice(0, 200) : String(err)),
    });
    return null;
  } finally {
    await handle.close();
  }
}

/** Sends one mail now; a refusal is logged without the address and recorded for the owner. Never throws. */
async function deliver(deps: AccountDeps, kind: AccountMailKind, opts: MailOpts): Promise<void> {
  try {
    await deps.mailer.send(buildAccountMail(deps.baseUrl, kind, opts));
  } catch (err: unknown) {
    const error = mailErrorText(err, [opts.token, opts.token && encodeURIComponent(opts.token)]);
    // SMTP replies often quote the recipient ("550 <ann@…> unknown"): logs keep the reason, not the address.
    log("error", "account mail not delivered", {
      kind,
      tenant: opts.tenant.slug,
      error: redactEmails(error),
    });
    await recordMailFailure(deps.env, {
      tenantId: opts.tenant.id,
      userId: opts.userId,
      kind,
      to: opts.to,
      error,
    });
  }
}
