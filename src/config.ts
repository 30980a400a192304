/**
 * Typed settings read from the Worker's env (DESIGN.md "Configuration"). Reading is cheap and pure, so
 * it happens per request; secrets are validated where they are used so a missing one fails that surface
 * only, with a clear error.
 */
import type { Bindings } from "./env.ts";
import { AppError } from "./errors.ts";
import type { AuthConfig } from "./lib/jwt.ts";
import type { ThinkingMode } from "./llm/client.ts";
import { DEFAULT_MODEL, DEFAULT_MODEL_URL, type ModelOptions } from "./llm/factory.ts";
import type { SmtpConfig } from "./mail/mailer.ts";

export type { AuthConfig, SmtpConfig };

const MIN_JWT_SECRET_BYTES = 32;

/** The JWT signing key and lifetime; refuses a missing or short secret rather than sign with it. */
export function authConfig(env: Bindings): AuthConfig {
  const secret = env.JWT_SECRET ?? "";
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < MIN_JWT_SECRET_BYTES) {
    throw new AppError(
      "misconfigured",
      `Sign-in is unavailable: JWT_SECRET is ${secret ? "shorter than 32 bytes" : "not set"}.`,
    );
  }
  const minutes = Number(env.JWT_EXPIRE_MINUTES ?? 60);
  return { jwtKey: key, expireMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : 60 };
}

/** SMTP settings, or null when no SMTP_HOST is set (mail is then only logged, links redacted, never sent). */
export function smtpConfig(env: Bindings): SmtpConfig | null {
  if (!env.SMTP_HOST) return null;
  const port = Number(env.SMTP_PORT ?? 587);
  return {
    host: env.SMTP_HOST,
    port: Number.isInteger(port) && port > 0 ? port : 587,
    ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
    ...(env.SMTP_PASSWORD ? { password: env.SMTP_PASSWORD } : {}),
    from: env.SMTP_FROM || "CIP <no-reply@cip.local>",
  };
}

/** Public base URL for links in e-mails and embed snippets, without a trailing slash. */
export function frontendBaseUrl(env: Bindings, requestUrl?: string): string {
  const base = env.FRONTEND_BASE_URL || (requestUrl ? new URL(requestUrl).origin : "http://localhost:8787");
  return base.replace(/\/+$/, "");
}

export const TURNSTILE_VERIFY_URL_DEFAULT = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
export const TURNSTILE_SCRIPT_URL_DEFAULT = "https://challenges.cloudflare.com/turnstile/v0/api.js";

/**
 * Where Turnstile tokens are verified and where the pages load its widget script from (and that script's
 * origin, for the pages' CSP). A script URL that is not http(s) falls back to Cloudflare's.
 */
export function turnstileConfig(env: Bindings): {
  verifyUrl: string;
  scriptUrl: string;
  scriptOrigin: string;
} {
  let script: URL;
  try {
    script = new URL(env.TURNSTILE_SCRIPT_URL || TURNSTILE_SCRIPT_URL_DEFAULT);
    if (script.protocol !== "https:" && script.protocol !== "http:") throw new Error("not http(s)");
  } catch {
    script = new URL(TURNSTILE_SCRIPT_URL_DEFAULT);
  }
  return {
    verifyUrl: env.TURNSTILE_VERIFY_URL || TURNSTILE_VERIFY_URL_DEFAULT,
    scriptUrl: script.href,
    scriptOrigin: script.origin,
  };
}

/** The model endpoint of the platform: `DEEPSEEK_API_URL`, `DEEPSEEK_API_KEY`, the model name. */
export function modelConfig(env: Bindings): ModelOptions {
  return {
    baseUrl: env.DEEPSEEK_API_URL || DEFAULT_MODEL_URL,
    apiKey: env.DEEPSEEK_API_KEY ?? "",
    model: platformModel(env),
  };
}

/** The platform's model name: `DEEPSEEK_MODEL`, else the default. */
export function platformModel(env: Pick<Bindings, "DEEPSEEK_MODEL">): string {
  return env.DEEPSEEK_MODEL?.trim() || DEFAULT_MODEL;
}

/** `DEEPSEEK_THINKING` as a mode; unset or unknown values mean `disabled`. */
export function platformThinking(env: Pick<Bindings, "DEEPSEEK_THINKING">): ThinkingMode {
  const value = env.DEEPSEEK_THINKING?.trim().toLowerCase();
  return value === "enabled" || value === "omit" ? value : "disabled";
}
