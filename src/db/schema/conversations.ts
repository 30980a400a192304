/** Dialogs, their messages and leads, saved items, and model usage per day. */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantRef, users } from "./tenants.ts";

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
    /** Set while the dialog is archived: it leaves the cabinet's default list (migration 0012). */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /** The newest visitor (`user`) message Postgres has, written by the sync: what "unread" compares. */
    lastVisitorMessageAt: timestamp("last_visitor_message_at", { withTimezone: true }),
  },
  (t) => [
    index("dialogs_tenant_recent_idx").on(t.tenantId, t.lastMessageAt.desc(), t.id.desc()),
    index("dialogs_tenant_active_recent_idx")
      .on(t.tenantId, t.lastMessageAt.desc(), t.id.desc())
      .where(sql`${t.archivedAt} is null`),
    index("dialogs_tenant_visitor_idx").on(t.tenantId, t.channel, t.visitorId),
    index("dialogs_tenant_user_idx").on(t.tenantId, t.userId),
    // Exports walk a tenant's dialogs by creation (migration 0007).
    index("dialogs_tenant_created_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
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

/**
 * A visitor's rating of one assistant answer (migration 0008). No foreign key to the message or the
 * dialog: a rating may arrive before the dialog object has synced them (checked against the object then).
 */
export const messageFeedback = pgTable(
  "message_feedback",
  {
    tenantId: tenantRef(),
    dialogId: uuid("dialog_id").notNull(),
    messageId: uuid("message_id").notNull(),
    rating: text("rating", { enum: ["up", "down"] }).notNull(),
    comment: text("comment"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "message_feedback_pk", columns: [t.tenantId, t.messageId] }),
    index("message_feedback_tenant_dialog_idx").on(t.tenantId, t.dialogId),
    index("message_feedback_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/**
 * When each cabinet user last opened a dialog (migration 0012), and the visitor-message time that
 * opening covered (`read_through`; null: the dialog had none yet). A dialog is unread for the user while
 * its `last_visitor_message_at` is later, or when there is no row.
 */
export const dialogReads = pgTable(
  "dialog_reads",
  {
    tenantId: tenantRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    dialogId: uuid("dialog_id")
      .notNull()
      .references(() => dialogs.id, { onDelete: "cascade" }),
    lastReadAt: timestamp("last_read_at", { withTimezone: true }).notNull().defaultNow(),
    readThrough: timestamp("read_through", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "dialog_reads_pk", columns: [t.tenantId, t.userId, t.dialogId] }),
    index("dialog_reads_dialog_idx").on(t.dialogId),
  ],
);
