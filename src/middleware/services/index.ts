import type { MiddlewareHandler } from "hono";
import { smtpConfig } from "../../config.ts";
import type { AppEnv } from "../../env.ts";
import { log } from "../../lib/log.ts";
import { createMailer } from "../../mail/mailer.ts";

/** Whether this isolate has said yet that mail goes nowhere. */
let warnedNoSmtp = false;

/**
 * Per-request external services (the mailer; the database has its own middleware). Without SMTP the
 * first request of an isolate logs a warning: account mail then only reaches the log, with its links
 * redacted, so nobody can confirm an address or reset a password (`npm run dev` always sets SMTP).
 */
export function services(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const smtp = smtpConfig(c.env);
    if (!smtp && !warnedNoSmtp) {
      warnedNoSmtp = true;
      log("warn", "SMTP is not configured (SMTP_HOST is empty): account mail is not sent, only logged", {
        mail: "console",
      });
    }
    c.set("mailer", createMailer(smtp));
    await next();
  };
}
