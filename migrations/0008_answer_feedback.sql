-- Answer feedback (docs/cabinet.md, "Answer feedback"): a visitor's thumbs up or down on one of the
-- assistant's answers, with an optional comment after a thumbs-down. One rating per answer: a new one
-- replaces it. Keyed by the message id without a foreign key to `messages` or `dialogs`: the dialog
-- object syncs its rows to Postgres a moment after the answer ends, and a rating given in that moment
-- (checked against the dialog object instead) must not be lost. Rows go with their tenant; dialogs are
-- never deleted on their own. Tenant-scoped with row-level security like every tenant table (0003).
CREATE TABLE "message_feedback" (
	"tenant_id" uuid NOT NULL,
	"dialog_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_feedback_pk" PRIMARY KEY("tenant_id","message_id"),
	CONSTRAINT "message_feedback_rating_known" CHECK ("message_feedback"."rating" IN ('up', 'down')),
	CONSTRAINT "message_feedback_comment_len" CHECK (char_length("message_feedback"."comment") <= 500)
);
--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The cabinet's dialog list filters by rating (exists … where dialog_id = …).
CREATE INDEX "message_feedback_tenant_dialog_idx" ON "message_feedback" USING btree ("tenant_id","dialog_id");
--> statement-breakpoint
-- The usage report counts the ratings given in a range of days.
CREATE INDEX "message_feedback_tenant_updated_idx" ON "message_feedback" USING btree ("tenant_id","updated_at");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "message_feedback" TO cip_app;
--> statement-breakpoint
ALTER TABLE "message_feedback" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "message_feedback" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "message_feedback" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
