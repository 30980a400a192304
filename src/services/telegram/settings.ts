/** Telegram settings read from the Worker's env. */
import type { Bindings } from "../../env.ts";

/** The public Bot API, used when TELEGRAM_API_URL is unset. */
export const DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org";

/** Updates CIP asks Telegram for. */
export const ALLOWED_UPDATES = ["message", "edited_message"] as const;

/** Base URL of the Bot API (TELEGRAM_API_URL), without a trailing slash. */
export function telegramApiUrl(env: Pick<Bindings, "TELEGRAM_API_URL">): string {
  return (env.TELEGRAM_API_URL || DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, "");
}

/** The webhook URL Telegram is told to call for a tenant. */
export function webhookUrl(publicBaseUrl: string, tenantId: string): string {
  return `${publicBaseUrl}/api/v1/tenants/${tenantId}/telegram/webhook`;
}
