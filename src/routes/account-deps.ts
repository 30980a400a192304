import type { Context } from "hono";
import { frontendBaseUrl } from "../config.ts";
import type { AppEnv } from "../env.ts";
import type { AccountDeps } from "../services/accounts/context.ts";
import { clientIp } from "../services/platform/rate-limit.ts";

/** Gathers what account services need from the request. */
export function accountDeps(c: Context<AppEnv>): AccountDeps {
  return {
    db: c.var.db(),
    env: c.env,
    mailer: c.var.mailer,
    baseUrl: frontendBaseUrl(c.env, c.req.url),
    defer: (work) => c.executionCtx.waitUntil(work),
    ip: clientIp(c.req.raw.headers),
  };
}
