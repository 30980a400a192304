/**
 * The pure rules of a tenant's budget: which caps are set, the UTC day and month a reply counts in, and
 * what a refused visitor reads (in the tenant's language). The tenant object enforces them; the dialog
 * object only asks when a cap is set, so tenants without one never pay for the check.
 */
import type { TenantSettings } from "../db/schema.ts";

/** The enforceable part of `settings.budget`; `null` means no cap of that kind. */
export interface BudgetCaps {
  dailyTokens: number | null;
  monthlyTokens: number | null;
  visitorMessagesPerHour: number | null;
}

export type RefusalCode = "budget_exceeded" | "visitor_rate_limited";

/** Why a turn may not call the model, with a text for the visitor and when to try again (seconds). */
export interface BudgetRefusal {
  code: RefusalCode;
  message: string;
  retryAfter: number;
}

/** The window of the per-visitor message rate. */
export const VISITOR_WINDOW_MS = 60 * 60 * 1000;

function cap(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/** The caps of a tenant, or null when none is set (then nothing is checked or counted live). */
export function capsOf(settings: TenantSettings): BudgetCaps | null {
  const b = settings.budget;
  if (!b) return null;
  const caps: BudgetCaps = {
    dailyTokens: cap(b.dailyTokens),
    monthlyTokens: cap(b.monthlyTokens),
    visitorMessagesPerHour: cap(b.visitorMessagesPerHour),
  };
  return caps.dailyTokens === null && caps.monthlyTokens === null && caps.visitorMessagesPerHour === null
    ? null
    : caps;
}

/** Whether the tenant object must keep token counters (a daily or monthly cap is set). */
export function hasTokenCaps(caps: BudgetCaps | null): boolean {
  return caps !== null && (caps.dailyTokens !== null || caps.monthlyTokens !== null);
}

/** The UTC day (`YYYY-MM-DD`) of an instant: the day a reply's usage counts in, here and in Postgres. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The month (`YYYY-MM`) of a day or an instant. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** Seconds until the next UTC midnight (at least 1). */
export function secondsToNextDay(now: number): number {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now) / 1000));
}

/** Seconds until the first day of the next UTC month (at least 1). */
export function secondsToNextMonth(now: number): number {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now) / 1000));
}

const TEXTS = {
  daily: {
    ru: "Чат временно недоступен: дневной лимит ответов исчерпан. Пожалуйста, напишите завтра.",
    en: "The chat is paused: today's usage limit has been reached. Please write again tomorrow.",
  },
  monthly: {
    ru: "Чат временно недоступен: месячный лимит ответов исчерпан.",
    en: "The chat is paused: this month's usage limit has been reached.",
  },
  visitor: {
    ru: (minutes: number) =>
      `Вы отправили слишком много сообщений. Попробуйте снова через ${minutes} мин. Ваше сообщение сохранено.`,
    en: (minutes: number) =>
      `You have sent too many messages. Please try again in ${minutes} min. Your message has been kept.`,
  },
} as const;

/** A refusal in the tenant's language (Russian or English). */
export function refusal(
  kind: "daily" | "monthly" | "visitor",
  locale: string,
  retryAfter: number,
): BudgetRefusal {
  const lang = locale.toLowerCase().startsWith("ru") ? "ru" : "en";
  if (kind === "visitor") {
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    return { code: "visitor_rate_limited", message: TEXTS.visitor[lang](minutes), retryAfter };
  }
  return { code: "budget_exceeded", message: TEXTS[kind][lang], retryAfter };
}
