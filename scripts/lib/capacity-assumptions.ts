/**
 * The traffic assumptions of the capacity model (docs/capacity.md), each with the reason for its value.
 * Change one here and run `npm run capacity` to regenerate the doc. Values drawn from the code name the file.
 */

export interface Assumptions {
  daysPerMonth: number;
  peakFactor: number;
  turnsPerChat: number;
  inputTokensPerTurn: number;
  outputTokensPerTurn: number;
  cacheHitShare: number;
  peakPriceShare: number;
  modelRequestsPerTurn: number;
  modelSecondsPerRequest: number;
  feedOpenSecondsPerChat: number;
  extraWorkerRequestsPerChat: number;
  extraDoRequestsPerChat: number;
  doCallActiveMs: number;
  doRowsWrittenPerTurn: number;
  doRowsReadPerTurn: number;
  pgWriteTxPerTurn: number;
  pgRoundTripMs: number;
  pgWriteTxPerCuSecond: number;
  pgMinCu: number;
  retentionMonths: number;
  chatsPerTenantPerDay: number;
  largestTenantShare: number;
  tenantCallsPerTurn: number;
  newVisitorShare: number;
  outboxTenantShare: number;
  r2BytesPerTenant: number;
  r2ReadsPerChat: number;
  r2WritesPerTenantPerMonth: number;
  platformDailyTokensPerTenant: number;
}

/** The chats per day the doc prices. */
export const SCALES = [1_000, 100_000, 1_000_000] as const;

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  daysPerMonth: 30,
  peakFactor: 3,
  turnsPerChat: 4,
  inputTokensPerTurn: 4000,
  outputTokensPerTurn: 250,
  cacheHitShare: 0.75,
  peakPriceShare: 0.3,
  modelRequestsPerTurn: 1.1,
  modelSecondsPerRequest: 5,
  feedOpenSecondsPerChat: 300,
  extraWorkerRequestsPerChat: 2,
  extraDoRequestsPerChat: 1,
  doCallActiveMs: 5,
  doRowsWrittenPerTurn: 12,
  doRowsReadPerTurn: 60,
  pgWriteTxPerTurn: 2,
  pgRoundTripMs: 50,
  pgWriteTxPerCuSecond: 250,
  pgMinCu: 0.25,
  retentionMonths: 12,
  chatsPerTenantPerDay: 50,
  largestTenantShare: 0.05,
  tenantCallsPerTurn: 3,
  newVisitorShare: 0.8,
  outboxTenantShare: 0.5,
  r2BytesPerTenant: 50 * 1024 * 1024,
  r2ReadsPerChat: 0.5,
  r2WritesPerTenantPerMonth: 20,
  platformDailyTokensPerTenant: 2_000_000,
};

/** Unit and reason of each assumption, in the order the doc lists them. */
export const ASSUMPTION_NOTES: Record<keyof Assumptions, { unit: string; why: string }> = {
  daysPerMonth: {
    unit: "days",
    why: "Cloudflare and Neon bill by the month; 30 days, as their examples use.",
  },
  peakFactor: { unit: "× mean", why: "The daily peak hour over the day's mean rate (issue 19)." },
  turnsPerChat: { unit: "visitor messages", why: "A short support or sales conversation." },
  inputTokensPerTurn: {
    unit: "tokens",
    why: "Base prompt and knowledge chunks (PLATFORM_QUOTA_CHUNKS 200) plus history, capped at 24,000 characters / 40 messages (src/durable-objects/dialog-answer.ts).",
  },
  outputTokensPerTurn: {
    unit: "tokens",
    why: "A few short paragraphs; visitor turns never think (DEEPSEEK_THINKING).",
  },
  cacheHitShare: {
    unit: "of input",
    why: "DeepSeek serves repeated prefixes from its cache: the tenant's prompt is the same for all its dialogs and each turn repeats the ones before.",
  },
  peakPriceShare: {
    unit: "of tokens",
    why: "Tokens billed at DeepSeek's peak price (01-04 and 06-10 UTC on weekdays: 21% of the week's hours, more of its traffic).",
  },
  modelRequestsPerTurn: {
    unit: "requests",
    why: "One per turn, more when the model calls a tool (MCP) and continues.",
  },
  modelSecondsPerRequest: {
    unit: "s",
    why: "First token plus 250 tokens streamed; an estimate, not measured (the bench uses a fake model).",
  },
  feedOpenSecondsPerChat: {
    unit: "s",
    why: "The visitor's page follows the dialog's live feed (GET …/chat/{id}/events, web/chat/conversation.ts) while visible; that open SSE response keeps the dialog object in memory, billed as duration.",
  },
  extraWorkerRequestsPerChat: {
    unit: "requests",
    why: "The chat page (run_worker_first for /{slug}/chat and /embed) and the live feed; static assets are free.",
  },
  extraDoRequestsPerChat: { unit: "requests", why: "The live feed, served by the dialog object." },
  doCallActiveMs: {
    unit: "ms",
    why: "Active time of a small object call (tenant epoch, budget, visitor directory).",
  },
  doRowsWrittenPerTurn: {
    unit: "rows",
    why: "User message, answer row and its saves every second while streaming (SAVE_PARTIAL_EVERY_MS), sync marks, visitor directory, indexes.",
  },
  doRowsReadPerTurn: { unit: "rows", why: "The history (up to 40 messages), meta and stats read each turn." },
  pgWriteTxPerTurn: {
    unit: "transactions",
    why: "src/durable-objects/dialog-object.ts syncs once after the answer, and once during it when it runs past 2 s after its first token (a real model's answers usually do; the bench's short ones do not, so the bench measures one). Each sync is one statement in one round trip (dialog-sync.ts).",
  },
  pgRoundTripMs: {
    unit: "ms",
    why: "A dialog object to Hyperdrive's pool by the database: objects live near their dialog's first visitor, so a worldwide audience pays a continent's distance. A sync holds its origin connection for its one round trip (BEGIN, scope, statement, COMMIT in one query: src/db/tenant-scope.ts `once`). An estimate.",
  },
  pgWriteTxPerCuSecond: {
    unit: "tx/s per CU",
    why: "Sync statements one Neon CU absorbs. An estimate, not measured: the bench's Postgres is this 2-core machine's.",
  },
  pgMinCu: { unit: "CU", why: "Neon's smallest compute." },
  retentionMonths: {
    unit: "months",
    why: "CIP deletes no dialog by itself (only the cabinet's delete, dialog-erase.ts): storage is priced after a year of growth.",
  },
  chatsPerTenantPerDay: {
    unit: "chats",
    why: "An average site; sets the number of tenants (tenant and outbox objects).",
  },
  largestTenantShare: { unit: "of all chats", why: "The busiest tenant, for the per-tenant limits." },
  tenantCallsPerTurn: {
    unit: "calls",
    why: "snapshotEpoch every turn (dialog-snapshot.ts), usagePending and usageCommitted (budget-client.ts); admit only when the dialog's lease ran out.",
  },
  newVisitorShare: {
    unit: "of chats",
    why: "Chats by a first-time visitor: each creates a VisitorDirectory object.",
  },
  outboxTenantShare: {
    unit: "of tenants",
    why: "Tenants with webhooks or lead alerts, whose OutboxObject is in use.",
  },
  r2BytesPerTenant: {
    unit: "bytes",
    why: "Documents and gallery images (quota PLATFORM_QUOTA_STORAGE_BYTES is 1 GiB).",
  },
  r2ReadsPerChat: { unit: "reads", why: "Gallery images shown in answers (GET /images, Class B)." },
  r2WritesPerTenantPerMonth: { unit: "writes", why: "Uploads (Class A)." },
  platformDailyTokensPerTenant: {
    unit: "tokens/day",
    why: "PLATFORM_DAILY_TOKENS_PER_TENANT in wrangler.toml: every tenant's default daily cap.",
  },
};
