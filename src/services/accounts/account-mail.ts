import { log } from "../../lib/log.ts";
import { type AccountMailKind, accountMail, type Locale } from "../../mail/templates.ts";
import type { AccountDeps } from "./context.ts";
import { createEmailToken, type TokenPurpose } from "./email-tokens.ts";

export interface MailTenant {
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

/**
 * Sends an account mail after the response. A delivery failure is logged (without the address or the
 * link) and the account stays as it is: the user can ask for the mail again.
 */
export function sendAccountMail(
  deps: AccountDeps,
  kind: AccountMailKind,
  opts: { to: string; tenant: MailTenant; token?: string },
): void {
  const locale: Locale = opts.tenant.locale === "en" ? "en" : "ru";
  const message = accountMail(kind, {
    to: opts.to,
    locale,
    siteName: opts.tenant.name,
    link: linkFor(deps.baseUrl, kind, opts.tenant.slug, opts.token),
  });
  deps.defer(
    deps.mailer.send(message).catch((err: unknown) => {
      log("error", "account mail not delivered", {
        kind,
        tenant: opts.tenant.slug,
        error: err instanceof Error ? err.message : String(err),
      });
    }),
  );
}

/** Makes a fresh single-use token of `purpose` for the user and mails its link (after the response). */
export async function mailNewToken(
  deps: AccountDeps,
  purpose: TokenPurpose,
  opts: { tenant: MailTenant & { id: string }; userId: string; email: string },
): Promise<void> {
  const token = await createEmailToken(deps.db, {
    tenantId: opts.tenant.id,
    userId: opts.userId,
    email: opts.email,
    purpose,
  });
  sendAccountMail(deps, purpose, { to: opts.email, tenant: opts.tenant, token });
}
