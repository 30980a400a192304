import type { Database } from "../../db/client.ts";
import type { Bindings } from "../../env.ts";
import type { Mailer } from "../../mail/mailer.ts";

/** What account services need from the request, passed in so they never touch a Hono context. */
export interface AccountDeps {
  db: Database;
  env: Bindings;
  mailer: Mailer;
  /** Base URL for links in e-mails. */
  baseUrl: string;
  /** Runs work after the response (mail delivery), so answers do not depend on SMTP speed. */
  defer: (work: Promise<unknown>) => void;
  /** The client's address, for rate limits. */
  ip: string;
}

/** E-mail addresses are compared and stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
