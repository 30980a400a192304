/** What the chat guard (src/services/chat-guard.ts) needs to know about the request in front of it. */
import type { Context } from "hono";
import { frontendBaseUrl } from "../config.ts";
import type { AppEnv } from "../env.ts";
import type { ChatCaller, FirstMessage } from "../services/embed/chat-guard.ts";

/** CIP's own origins: FRONTEND_BASE_URL's and the request's (the embed iframe and chat page call from there). */
export function selfOrigins(c: Context<AppEnv>): string[] {
  const own = new URL(c.req.url).origin;
  const base = new URL(frontendBaseUrl(c.env, c.req.url)).origin;
  return base === own ? [own] : [base, own];
}

/** The caller of a visitor route: tenant and visitor from the validated input, the rest from headers. */
export function chatCaller(c: Context<AppEnv>, tenantId: string, visitorId: string): ChatCaller {
  return {
    tenantId,
    visitorId,
    widgetToken: c.req.header("x-widget-token") || undefined,
    origin: c.req.header("origin"),
    selfOrigins: selfOrigins(c),
    apiKeyId: c.get("apiKey")?.id,
  };
}

/** The Turnstile part of a message (body field `turnstile_token`, or header `X-Turnstile-Token`). */
export function firstMessage(c: Context<AppEnv>, bodyToken: string | undefined): FirstMessage {
  return {
    turnstileToken: bodyToken ?? (c.req.header("x-turnstile-token") || undefined),
    remoteIp: c.req.header("cf-connecting-ip") || undefined,
    apiKeyId: c.get("apiKey")?.id,
  };
}
