-- Draft, sandbox, publish (docs/cabinet.md "Draft and publish"): the tables the cabinet and the setup chat
-- edit (`prompt_chunks`, `tenants.settings` basePrompt / welcomeText / starters) are the tenant's draft;
-- visitors get the newest row of `prompt_releases`, a frozen copy of that draft taken by "publish". The
-- history of releases is kept, so any published version can be restored into the draft.
CREATE TABLE "prompt_releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	-- The tenant's own base prompt; '' stands for the platform's default.
	"base_prompt" text DEFAULT '' NOT NULL,
	"welcome_text" text,
	"starters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	-- [{id, position, question, text}] in position order.
	"chunks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published_by" uuid,
	-- The release a restore copied (null: a publish of the draft as the owner left it).
	"restored_from" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prompt_releases_version_positive" CHECK ("prompt_releases"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "prompt_releases" ADD CONSTRAINT "prompt_releases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The history outlives its author's account.
ALTER TABLE "prompt_releases" ADD CONSTRAINT "prompt_releases_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
-- Newest first per tenant: the live release is the first row of this index.
CREATE UNIQUE INDEX "prompt_releases_tenant_version_idx" ON "prompt_releases" USING btree ("tenant_id","version" DESC);
--> statement-breakpoint
-- Tenants from before this migration: what their visitors got until now becomes release 1, so nothing
-- changes for a visitor on the day of the upgrade. The migrating role owns the tables but may lack
-- BYPASSRLS: forced row-level security would hide every tenant's chunks from it during this read.
ALTER TABLE "prompt_chunks" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO "prompt_releases" ("tenant_id", "version", "base_prompt", "welcome_text", "starters", "chunks")
SELECT t."id", 1, coalesce(t."settings" ->> 'basePrompt', ''), t."settings" ->> 'welcomeText',
	coalesce(t."settings" -> 'starters', '[]'::jsonb),
	coalesce((SELECT jsonb_agg(jsonb_build_object('id', c."id", 'position', c."position",
			'question', c."question", 'text', c."text") ORDER BY c."position", c."created_at", c."id")
		FROM "prompt_chunks" c WHERE c."tenant_id" = t."id"), '[]'::jsonb)
FROM "tenants" t;
--> statement-breakpoint
ALTER TABLE "prompt_chunks" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "prompt_releases" TO cip_app;
--> statement-breakpoint
ALTER TABLE "prompt_releases" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "prompt_releases" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "prompt_releases" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
