/** Tenants, their users and account tokens. */
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";

/** Tenant-wide settings kept as one JSON document: they are read together and rarely written. */
export interface TenantSettings {
  basePrompt?: string;
  welcomeText?: string;
  /** Up to 6 short questions a visitor can click before the first message (chat page and widget). */
  starters?: string[];
  /** The language of the chat page and widget: the visitor's browser language (`auto`, absent) or pinned. */
  chatLanguage?: "auto" | "ru" | "en";
  allowedOrigins?: string[];
  widget?: { color?: string; position?: "left" | "right"; greeting?: string };
  /** An external Gallery/RAG service that replaces the built-in one for this tenant. */
  knowledge?: { url: string; token?: string };
  /** When on, the chat API requires a short-lived widget token issued by the embed page. */
  protectedEmbed?: boolean;
  /** Cloudflare Turnstile on a visitor's first message; the secret is AES-GCM encrypted like bot tokens. */
  turnstile?: {
    siteKey: string;
    secretEncrypted: string;
    /** Also check every Nth visitor message of a conversation (absent: the first only). */
    everyMessages?: number;
  };
  /** Spending limits, enforced by the tenant's Durable Object; prices turn tokens into cost. */
  budget?: {
    dailyTokens?: number;
    monthlyTokens?: number;
    visitorMessagesPerHour?: number;
    /** Per client address at the edge, per minute (absent: the platform's default; 0: no limit). */
    ipMessagesPerMinute?: number;
    ipNewDialogsPerMinute?: number;
    /** Price per million prompt (input) and completion (output) tokens, in `currency`. */
    inputPricePerMillion?: number;
    outputPricePerMillion?: number;
    /** Price per million prompt tokens served from the provider's cache; unset: the input price. */
    cachedInputPricePerMillion?: number;
    currency?: string;
  };
  /** Model settings per channel kind (`chat`: web and Telegram visitors; `admin`: the setup chat). */
  model?: { chat?: ChannelModelSettings; admin?: ChannelModelSettings };
  /** What a returning visitor sees: the same conversation, a new one after N hours, or a new one per page load. */
  conversation?: { policy: "keep" | "reset_after_hours" | "new_on_reload"; hours?: number };
  /** Set by a platform operator (docs/operator.md): chat answers "unavailable", sign-in is refused. */
  blocked?: boolean;
  /** The operator's per-tenant limits over the platform defaults (src/services/platform/quotas.ts). */
  limits?: TenantLimits;
  /** The first site (origin) the embed page was served for, recorded once (services/embed/embed-seen.ts). */
  embedSeen?: { origin: string; at: string };
  /** The cabinet's first-hour checklist; only whether the owner hid it is stored (its steps are derived). */
  onboarding?: { dismissed?: boolean };
}

/** Per-tenant limits an operator sets; a key left out means the platform default. */
export interface TenantLimits {
  /** Longest visitor message, in characters (100..4000). */
  maxMessageChars?: number;
  documents?: number;
  galleries?: number;
  imagesPerGallery?: number;
  chunks?: number;
  storageBytes?: number;
}

/** A tenant's model choices for one channel kind; a key left out means the platform default. */
export interface ChannelModelSettings {
  model?: string;
  thinking?: boolean;
  reasoningEffort?: "low" | "high" | "max";
  temperature?: number;
  maxTokens?: number;
}

export const tenants = pgTable("tenants", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  locale: text("locale").notNull().default("ru"),
  settings: jsonb("settings").$type<TenantSettings>().notNull().default({}),
  /** Bumped by every prompt change so cached prompts (in dialog objects) know they are stale. */
  promptVersion: integer("prompt_version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The owning tenant; rows go with it. */
export const tenantRef = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

/**
 * The directory view of `tenants` (migration 0005): what may be read before a tenant is known, for any
 * tenant (a slug at sign-up, a confirmation link, a public page). The table itself, `settings` and its
 * secrets included, is readable only by its own tenant's scope.
 */
export const tenantDirectory = pgView("tenant_directory", {
  id: uuid("id").notNull(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  locale: text("locale").notNull(),
}).existing();

export const users = pgTable(
  "users",
  {
    id: id(),
    tenantId: tenantRef(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    name: text("name"),
    locale: text("locale"),
    role: text("role", { enum: ["owner", "member"] })
      .notNull()
      .default("member"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    /** Tokens issued before this instant are refused (logout, password change or reset). */
    tokensValidAfter: timestamp("tokens_valid_after", { withTimezone: true }).notNull().defaultNow(),
    /** An owner gets an alert for every new lead (e-mail, and Telegram once linked) unless turned off. */
    notifyLeads: boolean("notify_leads").notNull().default(true),
    /** The owner's own Telegram chat with the tenant's bot (linked through `/start <code>`). */
    telegramChatId: bigint("telegram_chat_id", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_tenant_email_uq").on(t.tenantId, t.email)],
);

export const emailTokens = pgTable(
  "email_tokens",
  {
    id: id(),
    tenantId: tenantRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["confirm", "reset"] }).notNull(),
    email: text("email").notNull(),
    /** SHA-256 of the token; the token itself only ever exists in the e-mail. */
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("email_tokens_user_idx").on(t.tenantId, t.userId, t.purpose)],
);
