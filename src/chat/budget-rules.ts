/**
 * The pure rules of a tenant's budget: which caps are set, the UTC day and month a reply counts in, and
 * what a refused visitor reads (in the tenant's language). The tenant object enforces them; the dialog
 * object asks before a model call only when a cap is set and its admission lease has run out
 * (`admissionLeaseMs`), so a warm turn far from every cap does not pay for the check.
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

/** The platform's daily token cap per tenant when `PLATFORM_DAILY_TOKENS_PER_TENANT` is not set. */
export const PLATFORM_DAILY_TOKENS_DEFAULT = 2_000_000;

/** `PLATFORM_DAILY_TOKENS_PER_TENANT` read: the cap, or null when it is 0 (no platform cap). */
export function platformDailyTokens(raw: string | undefined): number | null {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === "" || !Number.isInteger(n) || n < 0)
    return PLATFORM_DAILY_TOKENS_DEFAULT;
  return n === 0 ? null : n;
}

/**
 * The caps of a tenant, or null when none is set (then nothing is checked or counted live). The platform's
 * daily cap (`platformDaily`) holds whatever the tenant set: the tenant's own can only be lower.
 */
export function capsOf(settings: TenantSettings, platformDaily: number | null = null): BudgetCaps | null {
  const b = settings.budget ?? {};
  const own = cap(b.dailyTokens);
  const caps: BudgetCaps = {
    dailyTokens: platformDaily === null ? own : Math.min(own ?? platformDaily, platformDaily),
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

/** How long an admission far from every token cap holds without asking again. */
export const ADMISSION_LEASE_MS = 30_000;
/** "Far from the cap": more than this share of the cap (and at least the minimum) is left. */
const LEASE_MARGIN_SHARE = 0.05;
const LEASE_MARGIN_MIN = 20_000;

/** What a dialog may do without asking again: for `ms`, up to `tokens` of its own replies. */
export interface AdmissionLeaseTerms {
  ms: number;
  tokens: number;
}

/**
 * The lease an admission carries: none when every message must be counted (a per-visitor rate), the
 * counters are unknown, or a token cap is near (within 5 %, at least 20 000 tokens); else
 * {@link ADMISSION_LEASE_MS} and at most one margin's worth of tokens (never more than is left above the
 * margin). A dialog that spends its tokens asks again, so near the cap every turn is checked exactly and
 * the overshoot stays within what the tenant's dialogs spend inside their allowances.
 */
export function admissionLease(
  caps: BudgetCaps,
  used: { day: number; month: number } | null,
): AdmissionLeaseTerms {
  const none = { ms: 0, tokens: 0 };
  if (caps.visitorMessagesPerHour !== null) return none;
  let tokens = Number.MAX_SAFE_INTEGER;
  for (const [limit, spent] of [
    [caps.dailyTokens, used?.day],
    [caps.monthlyTokens, used?.month],
  ] as const) {
    if (limit === null) continue;
    if (spent === undefined) return none;
    const margin = Math.max(LEASE_MARGIN_MIN, limit * LEASE_MARGIN_SHARE);
    const above = limit - spent - margin;
    if (above <= 0) return none;
    tokens = Math.min(tokens, above, margin);
  }
  return { ms: ADMISSION_LEASE_MS, tokens: Math.floor(tokens) };
}
