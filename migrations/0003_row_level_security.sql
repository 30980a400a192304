-- Defense in depth (docs/security.md): every tenant table is guarded by row-level security, so a query
-- that forgets its `tenant_id` filter still sees only the current tenant's rows.
-- The app's queries run as `cip_app` (no ownership, no BYPASSRLS): each transaction the app opens
-- starts with set_config('role', 'cip_app', true) and set_config('app.tenant_id', <tenant>, true).

-- Roles are cluster-wide; two databases migrating at once may race to create it.
DO $$
BEGIN
  CREATE ROLE cip_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
-- The connecting (migrating) role may switch to cip_app; a superuser may anyway.
DO $$
BEGIN
  EXECUTE format('GRANT cip_app TO %I', current_user);
EXCEPTION
  WHEN duplicate_object OR invalid_grant_operation OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO cip_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cip_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cip_app;
--> statement-breakpoint
-- NULL when no tenant is set: `tenant_id = NULL` matches nothing.
CREATE OR REPLACE FUNCTION cip_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cip_current_tenant() TO cip_app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant())',
      t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The tenant directory: anyone may look a tenant up (by slug, before a tenant is known) and sign-up
-- creates one; only the tenant itself may change or delete its row.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenants_directory ON tenants FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY tenants_sign_up ON tenants FOR INSERT WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY tenants_own_update ON tenants FOR UPDATE USING (id = cip_current_tenant()) WITH CHECK (id = cip_current_tenant());
--> statement-breakpoint
CREATE POLICY tenants_own_delete ON tenants FOR DELETE USING (id = cip_current_tenant());
