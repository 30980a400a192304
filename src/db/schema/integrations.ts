/** Telegram bots, mail deliveries, owner links, webhooks and API keys. */
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantRef, tenants, users } from "./tenants.ts";

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

/** Single-use codes an owner sends the tenant's bot (`/start <code>`) to link their Telegram chat. */
export const telegramOwnerLinks = pgTable(
  "telegram_owner_links",
  {
    /** SHA-256 of the code: the code itself travels only in the t.me link. */
    codeHash: text("code_hash").primaryKey(),
    tenantId: tenantRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("telegram_owner_links_tenant_user_idx").on(t.tenantId, t.userId)],
);

/** The owner's outgoing webhooks: signed POSTs of `lead.created`, `dialog.created`, `message.created`. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: id(),
    tenantId: tenantRef(),
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    /** AES-GCM ciphertext of the signing secret (shown once, at creation). */
    secretEncrypted: text("secret_encrypted").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("webhooks_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** Every delivery attempt of a webhook (kept 30 days), for the cabinet's deliveries list. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    tenantId: tenantRef(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** 1 for the first try of the event, then 2, 3, ... */
    attempt: integer("attempt").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
    /** The receiver's HTTP status; null when it did not answer (see `error`). */
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    /** When the next try is planned; null after a success or the last try. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (t) => [index("webhook_deliveries_recent_idx").on(t.tenantId, t.webhookId, t.attemptedAt.desc())],
);

/**
 * API keys for a tenant's servers (`Authorization: Bearer cip_…`): only the SHA-256 of the key is kept.
 * Found by hash through `cip_api_key_lookup` (migration 0007), before the tenant is known.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    tenantId: tenantRef(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().$type<Array<"read" | "chat">>().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_uq").on(t.keyHash),
    index("api_keys_tenant_recent_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    check("api_keys_name_len", sql`char_length(${t.name}) BETWEEN 1 AND 100`),
    check(
      "api_keys_scopes_known",
      sql`${t.scopes} <@ ARRAY['read', 'chat']::text[] AND cardinality(${t.scopes}) > 0`,
    ),
  ],
);
