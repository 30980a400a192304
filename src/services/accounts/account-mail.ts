import { log } from "../../lib/log.ts";
import type { MailMessage } from "../../mail/mailer.ts";
import { type AccountMailKind, accountMail, type Locale } from "../../mail/templates.ts";
import { mailErrorText, recordMailFailure } from "../mail-deliveries.ts";
import type { AccountDeps } from "./context.ts";
import { createEmailToken, type TokenPurpose } from "./email-tokens.ts";

export interface MailTenant {
  id: string;
  slug: string;
  name: string;
  locale: string;
}

/** The page a mail links to; the token travels only in this link. */
function linkFor(baseUrl: string, kind: AccountMailKind, slug: string, token?: string): string {
  const page = kind === "confirm" ? "confirm" : kind === "reset" ? "reset-password" : "login";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${baseUrl}/${encodeURIComponent(slug)}/${page}${query}`;
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
    siteName: opts.tenant.name,
    link: linkFor(baseUrl, kind, opts.tenant.slug, opts.token),
  });
}

/**
 * Sends an account mail after the response. A delivery failure is logged (without the address or the
 * link) and recorded in `mail_deliveries` (without the token) for the owner to see and retry; the
 * account stays as it is, and the user can also ask for the mail again.
 */
export function sendAccountMail(
  deps: AccountDeps,
  kind: AccountMailKind,
  opts: { to: string; tenant: MailTenant; userId: string | null; token?: string },
): void {
  const message = buildAccountMail(deps.baseUrl, kind, opts);
  deps.defer(
    deps.mailer.send(message).catch(async (err: unknown) => {
      const error = mailErrorText(err, [opts.token, opts.token && encodeURIComponent(opts.token)]);
      log("error", "account mail not delivered", { kind, tenant: opts.tenant.slug, error });
      await recordMailFailure(deps.env, {
        tenantId: opts.tenant.id,
        userId: opts.userId,
        kind,
        to: opts.to,
        error,
      });
    }),
  );
}

/** Makes a fresh single-use token of `purpose` for the user and mails its link (after the response). */
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
