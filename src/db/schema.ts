/**
 * The CIP data model (DESIGN.md "Domain model"). Every row that belongs to a tenant carries `tenant_id`,
 * and every index a tenant-scoped query walks starts with it, so a query can never be cheaper without it.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const tenantRef = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

/** Tenant-wide settings kept as one JSON document: they are read together and rarely written. */
export interface TenantSettings {
  basePrompt?: string;
  welcomeText?: string;
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

export const dialogs = pgTable(
  "dialogs",
  {
    id: id(),
    tenantId: tenantRef(),
    channel: text("channel", { enum: ["web", "telegram", "admin"] }).notNull(),
    /** The client-made visitor id, the Telegram chat id, or the owner's user id for admin chat. */
    visitorId: text("visitor_id").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title"),
    hasLead: boolean("has_lead").notNull().default(false),
    messageCount: integer("message_count").notNull().default(0),
    lastMessagePreview: text("last_message_preview"),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull().defaultNow(),
    /** The cabinet user who has taken the dialog over; while set, the model stays silent in it. */
    takenOverBy: uuid("taken_over_by").references(() => users.id, { onDelete: "set null" }),
    takenOverAt: timestamp("taken_over_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("dialogs_tenant_recent_idx").on(t.tenantId, t.lastMessageAt.desc(), t.id.desc()),
    index("dialogs_tenant_visitor_idx").on(t.tenantId, t.channel, t.visitorId),
    index("dialogs_tenant_user_idx").on(t.tenantId, t.userId),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    tenantId: tenantRef(),
    dialogId: uuid("dialog_id")
      .notNull()
      .references(() => dialogs.id, { onDelete: "cascade" }),
    /** Order inside the dialog, assigned by the dialog's Durable Object. */
    seq: integer("seq").notNull(),
    /** `operator` is a human reply written from the cabinet during a takeover. */
    role: text("role", { enum: ["user", "assistant", "operator"] }).notNull(),
    /** The cabinet user who wrote an operator message. */
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    content: text("content").notNull(),
    /** Results of the EXECUTE blocks that ran in this message, kept for later turns. */
    commands: jsonb("commands").$type<unknown[]>().notNull().default([]),
    status: text("status", { enum: ["complete", "partial", "failed", "stopped"] })
      .notNull()
      .default("complete"),
    usage: jsonb("usage").$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_dialog_seq_uq").on(t.dialogId, t.seq),
    index("messages_tenant_dialog_idx").on(t.tenantId, t.dialogId, t.seq),
  ],
);

export const promptChunks = pgTable(
  "prompt_chunks",
  {
    id: id(),
    tenantId: tenantRef(),
    position: integer("position").notNull(),
    question: text("question").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("prompt_chunks_tenant_pos_idx").on(t.tenantId, t.position),
    check("prompt_chunks_question_len", sql`char_length(${t.question}) <= 1000`),
    check("prompt_chunks_text_len", sql`char_length(${t.text}) <= 2000`),
  ],
);

export const leads = pgTable(
  "leads",
  {
    id: id(),
    tenantId: tenantRef(),
    dialogId: uuid("dialog_id").references(() => dialogs.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["email", "phone"] }).notNull(),
    /** Normalized form (lower-case e-mail, E.164 phone) used for deduplication. */
    value: text("value").notNull(),
    raw: text("raw").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("leads_tenant_kind_value_uq").on(t.tenantId, t.kind, t.value),
    index("leads_tenant_recent_idx").on(t.tenantId, t.createdAt.desc()),
  ],
);

export const savedItems = pgTable(
  "saved_items",
  {
    id: id(),
    tenantId: tenantRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["message", "lead", "image", "note"] }).notNull(),
    ref: text("ref"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("saved_items_tenant_user_idx").on(t.tenantId, t.userId, t.createdAt.desc())],
);

export const files = pgTable(
  "files",
  {
    id: id(),
    tenantId: tenantRef(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    /** R2 object key, always prefixed by the tenant id. */
    r2Key: text("r2_key").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index("files_tenant_recent_idx").on(t.tenantId, t.createdAt.desc())],
);

export const galleryGroups = pgTable(
  "gallery_groups",
  {
    id: id(),
    tenantId: tenantRef(),
    title: text("title").notNull(),
    description: text("description"),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("gallery_groups_tenant_idx").on(t.tenantId, t.position)],
);

export const galleryImages = pgTable(
  "gallery_images",
  {
    id: id(),
    tenantId: tenantRef(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => galleryGroups.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    caption: text("caption"),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    r2Key: text("r2_key").notNull().unique(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("gallery_images_tenant_group_idx").on(t.tenantId, t.groupId, t.position)],
);

export const documents = pgTable(
  "documents",
  {
    id: id(),
    tenantId: tenantRef(),
    title: text("title").notNull(),
    sourceName: text("source_name").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    /** Extracted plain text of the whole document. */
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("documents_tenant_recent_idx").on(t.tenantId, t.createdAt.desc())],
);

export const documentPassages = pgTable(
  "document_passages",
  {
    id: id(),
    tenantId: tenantRef(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    /** Russian and English stems together, so one query matches either language. */
    tsv: tsvector("tsv")
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('russian'::regconfig, text) || to_tsvector('english'::regconfig, text)`,
      ),
  },
  (t) => [
    index("document_passages_tenant_doc_idx").on(t.tenantId, t.documentId, t.position),
    index("document_passages_tsv_idx").using("gin", t.tsv),
  ],
);

export const telegramBots = pgTable("telegram_bots", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** AES-GCM ciphertext (base64 of iv || ciphertext); the plain token is never stored or returned. */
  botTokenEncrypted: text("bot_token_encrypted").notNull(),
  botUsername: text("bot_username").notNull(),
  /** SHA-256 of the webhook secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token. */
  webhookSecretHash: text("webhook_secret_hash").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const telegramUpdates = pgTable(
  "telegram_updates",
  {
    tenantId: tenantRef(),
    updateId: bigint("update_id", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.updateId] })],
);

/** Every change of a prompt chunk, so the cabinet can show a diff and restore any earlier version. */
export interface ChunkState {
  position: number;
  question: string;
  text: string;
}

export const promptChunkRevisions = pgTable(
  "prompt_chunk_revisions",
  {
    id: id(),
    tenantId: tenantRef(),
    /** No foreign key: the history outlives a deleted chunk, and a restore can bring it back. */
    chunkId: uuid("chunk_id").notNull(),
    action: text("action", { enum: ["create", "update", "delete", "restore"] }).notNull(),
    before: jsonb("before").$type<ChunkState | null>(),
    after: jsonb("after").$type<ChunkState | null>(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    channel: text("channel", { enum: ["cabinet", "admin_chat"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("prompt_chunk_revisions_tenant_recent_idx").on(t.tenantId, t.createdAt.desc()),
    index("prompt_chunk_revisions_tenant_chunk_idx").on(t.tenantId, t.chunkId, t.createdAt.desc()),
  ],
);

/** Model token usage per tenant, dialog and UTC day, summed from each reply's `usage`. */
export const usageDaily = pgTable(
  "usage_daily",
  {
    tenantId: tenantRef(),
    day: date("day", { mode: "string" }).notNull(),
    /** No foreign key: usage stays counted after a dialog is deleted. */
    dialogId: uuid("dialog_id").notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull().default(0),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull().default(0),
    /** The part of `prompt_tokens` the provider served from its context cache (billed lower). */
    cacheHitTokens: bigint("cache_hit_tokens", { mode: "number" }).notNull().default(0),
    cacheMissTokens: bigint("cache_miss_tokens", { mode: "number" }).notNull().default(0),
    replies: integer("replies").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.dialogId] })],
);

/** Outgoing account mail that failed (or was retried), so the owner can see and resend it. */
export const mailDeliveries = pgTable(
  "mail_deliveries",
  {
    id: id(),
    tenantId: tenantRef(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** Which mail: confirm, reset, already_registered, ... (the mail is rebuilt with a fresh token on retry). */
    kind: text("kind").notNull(),
    toEmail: text("to_email").notNull(),
    status: text("status", { enum: ["failed", "sent"] }).notNull(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(1),
    createdAt: createdAt(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_deliveries_tenant_recent_idx").on(t.tenantId, t.lastAttemptAt.desc())],
);
