import type { MiddlewareHandler } from "hono";
import { smtpConfig } from "../../config.ts";
import type { AppEnv } from "../../env.ts";
import { createMailer } from "../../mail/mailer.ts";

/** Per-request external services (the mailer; the database has its own middleware). */
export function services(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("mailer", createMailer(smtpConfig(c.env)));
    await next();
  };
}
