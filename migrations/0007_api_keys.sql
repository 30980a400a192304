-- API keys (docs/api-clients.md): a tenant's servers call the API with `Authorization: Bearer cip_…`.
-- Only the SHA-256 of a key is stored (`key_hash`, hex); the key itself is shown once, when it is made;
-- `prefix` is its first characters, for telling keys apart. Tenant-scoped with row-level security like
-- every tenant table (0003).
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_name_len" CHECK (char_length("api_keys"."name") BETWEEN 1 AND 100),
	CONSTRAINT "api_keys_scopes_known" CHECK ("api_keys"."scopes" <@ ARRAY['read', 'chat']::text[] AND cardinality("api_keys"."scopes") > 0)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The owner who made a key; the key dies with that account.
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_uq" ON "api_keys" USING btree ("key_hash");
--> statement-breakpoint
CREATE INDEX "api_keys_tenant_recent_idx" ON "api_keys" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "api_keys" TO cip_app;
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "api_keys" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
--> statement-breakpoint
-- A key names no tenant, and the path may name another one (which must answer 403, not 401): the key is
-- found by its hash before any tenant is known, through `cip_api_key_lookup`, which runs with the rights
-- of its own role `cip_key_lookup` (NOLOGIN, owns nothing else). That role may read exactly the columns
-- the lookup returns of every key; cip_app may only call the function, which answers for one hash (a
-- caller must hold the key to name it), never a list.
DO $$
BEGIN
  CREATE ROLE cip_key_lookup NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT cip_key_lookup TO %I', current_user);
EXCEPTION
  WHEN duplicate_object OR invalid_grant_operation OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
GRANT SELECT ("id", "tenant_id", "created_by", "key_hash", "scopes", "last_used_at") ON "api_keys" TO cip_key_lookup;
--> statement-breakpoint
CREATE POLICY api_key_lookup ON "api_keys" FOR SELECT TO cip_key_lookup USING (true);
--> statement-breakpoint
CREATE FUNCTION cip_api_key_lookup(p_hash text)
  RETURNS TABLE (id uuid, tenant_id uuid, created_by uuid, scopes text[], last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$ SELECT k.id, k.tenant_id, k.created_by, k.scopes, k.last_used_at FROM public.api_keys k WHERE k.key_hash = p_hash $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION cip_api_key_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cip_api_key_lookup(text) TO cip_app;
--> statement-breakpoint
-- ALTER ... OWNER needs CREATE on the schema for the new owner; it is taken back right after.
GRANT USAGE, CREATE ON SCHEMA public TO cip_key_lookup;
--> statement-breakpoint
ALTER FUNCTION cip_api_key_lookup(text) OWNER TO cip_key_lookup;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM cip_key_lookup;
--> statement-breakpoint
-- Exports walk a tenant's dialogs by creation time, newest first (keyset over created_at, id).
CREATE INDEX "dialogs_tenant_created_idx" ON "dialogs" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
