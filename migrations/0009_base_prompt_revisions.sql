-- The base prompt's history (docs/cabinet.md "Base prompt"): the base prompt itself stays in
-- `tenants.settings.basePrompt` (absent: the platform's default); every change of it, from the cabinet or
-- the setup chat, writes one row here with the text before and after (NULL: the platform default), so the
-- cabinet can show the history and restore any earlier text. Tenant-scoped with row-level security like
-- every tenant table (0003).
CREATE TABLE "base_prompt_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"action" text NOT NULL,
	"before" text,
	"after" text,
	"author_id" uuid,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "base_prompt_revisions_action_known" CHECK ("base_prompt_revisions"."action" IN ('update', 'reset', 'restore')),
	CONSTRAINT "base_prompt_revisions_channel_known" CHECK ("base_prompt_revisions"."channel" IN ('cabinet', 'admin_chat'))
);
--> statement-breakpoint
ALTER TABLE "base_prompt_revisions" ADD CONSTRAINT "base_prompt_revisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The history outlives its author's account.
ALTER TABLE "base_prompt_revisions" ADD CONSTRAINT "base_prompt_revisions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "base_prompt_revisions_tenant_recent_idx" ON "base_prompt_revisions" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "base_prompt_revisions" TO cip_app;
--> statement-breakpoint
ALTER TABLE "base_prompt_revisions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "base_prompt_revisions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "base_prompt_revisions" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
