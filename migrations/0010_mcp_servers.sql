-- MCP servers a tenant attaches (docs/mcp.md): the visitor bot calls their tools as EXECUTE MCP commands.
-- `headers_encrypted` is the JSON object of request headers sealed for the tenant and the row (AES-GCM,
-- lib/tenant-seal.ts); `tools` is the last listing with the owner's per-tool switches. Tenant-scoped with
-- row-level security like every tenant table (0003).
CREATE TABLE "mcp_servers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"headers_encrypted" text,
	"header_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"admin_chat" boolean DEFAULT false NOT NULL,
	"tools" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"listed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mcp_servers_name_format" CHECK ("mcp_servers"."name" ~ '^[a-z0-9_-]{1,32}$')
);
--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_servers_tenant_name_uq" ON "mcp_servers" USING btree ("tenant_id","name");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "mcp_servers" TO cip_app;
--> statement-breakpoint
ALTER TABLE "mcp_servers" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "mcp_servers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "mcp_servers" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
