/** The settings of DESIGN.md "Configuration", each one an environment variable of `npm run dev`. */
import { existsSync, readFileSync } from "node:fs";

export const SETTING_NAMES = [
  "DEEPSEEK_API_URL",
  "DEEPSEEK_API_KEY",
  "DEEPSEEK_MODEL",
  "DEEPSEEK_THINKING",
  "JWT_SECRET",
  "JWT_EXPIRE_MINUTES",
  "FRONTEND_BASE_URL",
  "SMTP_HOST",
  "SMTP_PORT",
  "SMTP_USER",
  "SMTP_PASSWORD",
  "SMTP_FROM",
  "DATABASE_URL",
  "TELEGRAM_API_URL",
  "PORT",
  "NEON_WS_PROXY",
  "MAX_UPLOAD_BYTES",
  "TELEGRAM_TOKEN_KEY",
  "TURNSTILE_VERIFY_URL",
  "TURNSTILE_SCRIPT_URL",
  "CHAT_IP_MESSAGES_PER_MINUTE",
  "CHAT_IP_NEW_DIALOGS_PER_MINUTE",
  "PLATFORM_DAILY_TOKENS_PER_TENANT",
  "PLATFORM_TENANT_SLUG",
  "PLATFORM_ADMINS",
  "PLATFORM_QUOTA_DOCUMENTS",
  "PLATFORM_QUOTA_GALLERIES",
  "PLATFORM_QUOTA_IMAGES_PER_GALLERY",
  "PLATFORM_QUOTA_CHUNKS",
  "PLATFORM_QUOTA_STORAGE_BYTES",
  "WEBHOOK_ALLOW_PRIVATE",
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];
export type Settings = Partial<Record<SettingName, string>>;

/** Parses KEY=VALUE lines (the .dev.vars / .env format): comments, blank lines and quotes allowed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line
      .slice(0, eq)
      .trim()
      .replace(/^export\s+/, "");
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}

/** Settings from `.dev.vars` (if present), overridden by the process environment. */
export function readSettings(devVarsPath: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromFile = existsSync(devVarsPath) ? parseEnvFile(readFileSync(devVarsPath, "utf8")) : {};
  const out: Settings = {};
  for (const name of SETTING_NAMES) {
    const value = env[name] ?? fromFile[name];
    if (value !== undefined && value !== "") out[name] = value;
  }
  return out;
}

/** Serializes settings for wrangler's `--env-file`. */
export function toEnvFile(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join("\n")}\n`;
}
