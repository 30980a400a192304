/**
 * Per (tenant, client address) limits on the public chat, checked at the edge before any dialog object or
 * model call: messages per minute and new dialogs per minute (DESIGN.md "Abuse limits"). Without them a
 * script could open a dialog and a full completion per request on the platform's model key, whatever
 * `user_id` it makes up.
 *
 * Two counters, by what fits: Cloudflare's Rate Limiting binding (per location, fixed 60 s periods, no
 * extra hop) when the limit in force is the one the binding is configured with (wrangler.toml, the
 * platform default), and the exact `RateLimiter` Durable Object when a tenant or operator chose another
 * number. Settings come from the edge cache, so no Postgres round trip is ever made here.
 */
import type { TenantSettings } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";

/** The limits the `[[ratelimits]]` bindings of wrangler.toml are configured with (a unit test checks). */
export const BINDING_LIMITS = { messages: 30, newDialogs: 10 } as const;
const PERIOD_SECONDS = 60;

/** Limits per minute in force for a tenant; 0 = no limit. */
export interface ChatIpLimits {
  messages: number;
  newDialogs: number;
}

function setting(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** The platform defaults: `CHAT_IP_MESSAGES_PER_MINUTE` (30), `CHAT_IP_NEW_DIALOGS_PER_MINUTE` (10). */
export function platformIpLimits(
  env: Pick<Bindings, "CHAT_IP_MESSAGES_PER_MINUTE" | "CHAT_IP_NEW_DIALOGS_PER_MINUTE">,
): ChatIpLimits {
  return {
    messages: setting(env.CHAT_IP_MESSAGES_PER_MINUTE, BINDING_LIMITS.messages),
    newDialogs: setting(env.CHAT_IP_NEW_DIALOGS_PER_MINUTE, BINDING_LIMITS.newDialogs),
  };
}

/** The tenant's own numbers over the platform's (null or absent: the platform's; 0: off). */
export function ipLimitsFor(settings: TenantSettings, platform: ChatIpLimits): ChatIpLimits {
  const own = (v: unknown, fallback: number) =>
    typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : fallback;
  return {
    messages: own(settings.budget?.ipMessagesPerMinute, platform.messages),
    newDialogs: own(settings.budget?.ipNewDialogsPerMinute, platform.newDialogs),
  };
}

const TEXTS = {
  ru: "Слишком много сообщений с вашего адреса. Подождите минуту и попробуйте снова.",
  en: "Too many messages from your address. Please wait a minute and try again.",
} as const;

/** The visitor's language from `Accept-Language` (Russian unless English comes first). */
export function visitorLanguage(acceptLanguage: string | undefined | null): "ru" | "en" {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "ru";
}

/** The chat language the tenant pinned (`settings.chatLanguage`), or null when it follows the visitor. */
export function pinnedLanguage(settings: { chatLanguage?: "auto" | "ru" | "en" }): "ru" | "en" | null {
  return settings.chatLanguage === "ru" || settings.chatLanguage === "en" ? settings.chatLanguage : null;
}

/** One counter: true when the attempt may pass, else the seconds to wait. */
async function count(
  env: Bindings,
  binding: RateLimit | undefined,
  bindingLimit: number,
  limit: number,
  key: string,
): Promise<number> {
  if (limit === 0) return 0;
  if (binding && limit === bindingLimit) {
    const { success } = await binding.limit({ key });
    return success ? 0 : PERIOD_SECONDS;
  }
  const decision = await env.RATE_LIMITER.getByName(await sha256Hex(`chat-ip:${key}:${limit}`)).hit(
    limit,
    PERIOD_SECONDS,
  );
  return decision.allowed ? 0 : decision.retryAfter;
}

/**
 * Counts a visitor message (and a new dialog, when it starts one) against the limits of its tenant and
 * address; throws `rate_limited` with the seconds to wait and a message in the visitor's language.
 * `message: false` counts only the new dialog (its message was counted before the route knew it was new).
 */
export async function enforceChatIpLimits(
  env: Bindings,
  req: {
    tenantId: string;
    ip: string;
    newDialog: boolean;
    message?: boolean;
    settings: TenantSettings;
    language: "ru" | "en";
  },
): Promise<void> {
  const limits = ipLimitsFor(req.settings, platformIpLimits(env));
  const key = `${req.tenantId}:${req.ip}`;
  const [messages, dialogs] = await Promise.all([
    req.message === false
      ? Promise.resolve(0)
      : count(env, env.CHAT_IP_MESSAGES, BINDING_LIMITS.messages, limits.messages, `msg:${key}`),
    req.newDialog
      ? count(env, env.CHAT_IP_NEW_DIALOGS, BINDING_LIMITS.newDialogs, limits.newDialogs, `dlg:${key}`)
      : Promise.resolve(0),
  ]);
  const wait = Math.max(messages, dialogs);
  if (wait > 0) throw new AppError("rate_limited", TEXTS[req.language], { retryAfter: wait });
}
