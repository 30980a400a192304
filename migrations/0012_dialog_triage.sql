-- Dialog triage (docs/cabinet.md, "Dialog triage"): which dialogs are new to each cabinet user, archiving,
-- deleting. `last_visitor_message_at` is written by the dialog object's sync (the newest `user` message it
-- has stored), so unread is computed from Postgres alone and never runs ahead of the messages the
-- cabinet can show. `dialog_reads` keeps, per (tenant, user, dialog), when the user last opened the dialog
-- and the visitor-message time that opening covered (`read_through`, null when there was none yet).
-- Tenant-scoped with row-level security like every tenant table (0003).
ALTER TABLE "dialogs" ADD COLUMN "archived_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "dialogs" ADD COLUMN "last_visitor_message_at" timestamp with time zone;
--> statement-breakpoint
-- Dialogs from before this migration: their newest visitor message as Postgres has it (the admin chat
-- has no visitor).
UPDATE "dialogs" d SET "last_visitor_message_at" = (
	SELECT max(m."created_at") FROM "messages" m WHERE m."dialog_id" = d."id" AND m."role" = 'user'
) WHERE d."channel" <> 'admin';
--> statement-breakpoint
-- The default list shows the dialogs not archived, most recently active first.
CREATE INDEX "dialogs_tenant_active_recent_idx" ON "dialogs" USING btree ("tenant_id","last_message_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "archived_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "dialog_reads" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"dialog_id" uuid NOT NULL,
	"last_read_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_through" timestamp with time zone,
	CONSTRAINT "dialog_reads_pk" PRIMARY KEY("tenant_id","user_id","dialog_id")
);
--> statement-breakpoint
ALTER TABLE "dialog_reads" ADD CONSTRAINT "dialog_reads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "dialog_reads" ADD CONSTRAINT "dialog_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- A deleted dialog takes its read marks with it.
ALTER TABLE "dialog_reads" ADD CONSTRAINT "dialog_reads_dialog_id_dialogs_id_fk" FOREIGN KEY ("dialog_id") REFERENCES "public"."dialogs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- For that cascade (the primary key leads with the tenant and the user).
CREATE INDEX "dialog_reads_dialog_idx" ON "dialog_reads" USING btree ("dialog_id");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "dialog_reads" TO cip_app;
--> statement-breakpoint
ALTER TABLE "dialog_reads" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "dialog_reads" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "dialog_reads" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
