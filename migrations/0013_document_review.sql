-- Documents the owner can correct (docs/knowledge.md "Review before indexing"): an upload may wait as a
-- `draft` (its extracted text stored, no passages, so visitors' RAG commands never see it) until the owner
-- saves a corrected text or publishes it as extracted (`ready`: passages written). Rows from before this
-- migration were indexed at upload: `ready`. The original upload is kept in R2 under `r2_key`
-- (t/{tenant_id}/documents/{document_id}); NULL for documents stored before originals were kept.
-- The table keeps its row-level security (0003); new columns need no policy of their own.
ALTER TABLE "documents" ADD COLUMN "status" text DEFAULT 'ready' NOT NULL;
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_status_known" CHECK ("documents"."status" IN ('draft', 'ready'));
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "r2_key" text;
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_r2_key_unique" UNIQUE ("r2_key");
--> statement-breakpoint
-- When the owner last saved a corrected text (NULL: the text is as extracted).
ALTER TABLE "documents" ADD COLUMN "text_edited_at" timestamp with time zone;
