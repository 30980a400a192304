/** What the agents know: prompt chunks and their history, files, galleries and documents for retrieval. */
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, tsvector, updatedAt } from "./columns.ts";
import { tenantRef, users } from "./tenants.ts";

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
    /** Plain text of the whole document: as extracted, or as the owner corrected it. */
    text: text("text").notNull(),
    /** `draft`: waiting for the owner's review, no passages (migration 0013); `ready`: indexed. */
    status: text("status", { enum: ["draft", "ready"] })
      .notNull()
      .default("ready"),
    /** The original upload in R2 (`t/{tenant_id}/documents/{id}`); null for documents from before 0013. */
    r2Key: text("r2_key").unique(),
    /** When the owner last saved a corrected text; null while the text is as extracted. */
    textEditedAt: timestamp("text_edited_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("documents_tenant_recent_idx").on(t.tenantId, t.createdAt.desc()),
    check("documents_status_known", sql`${t.status} IN ('draft', 'ready')`),
  ],
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

/**
 * Every change of the tenant's base prompt (`tenants.settings.basePrompt`; migration 0009): the text before
 * and after, null standing for the platform's default, so any earlier text can be restored.
 */
export const basePromptRevisions = pgTable(
  "base_prompt_revisions",
  {
    id: id(),
    tenantId: tenantRef(),
    action: text("action", { enum: ["update", "reset", "restore"] }).notNull(),
    before: text("before"),
    after: text("after"),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    channel: text("channel", { enum: ["cabinet", "admin_chat"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("base_prompt_revisions_tenant_recent_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    check("base_prompt_revisions_action_known", sql`${t.action} IN ('update', 'reset', 'restore')`),
    check("base_prompt_revisions_channel_known", sql`${t.channel} IN ('cabinet', 'admin_chat')`),
  ],
);
