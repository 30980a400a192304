-- The tenant directory without its secrets (docs/security.md). Until now every row of `tenants` was
-- readable by the app's role with no tenant set (`USING (true)`), `settings` included: the encrypted
-- Telegram token's neighbours, the sealed Turnstile secret, the knowledge token. Now the table is
-- tenant-scoped for SELECT like every other tenant table, and what must be found before a tenant is
-- known (a slug at sign-up, a confirmation link, a public page) is read through the view
-- `tenant_directory`, which exposes id, slug, name and locale only.
--
-- The view runs with its owner's rights (not the caller's), so its owner is a role of its own,
-- `cip_directory` (NOLOGIN, owns nothing else), that may SELECT exactly those four columns of every row;
-- cip_app may only SELECT from the view.
DO $$
BEGIN
  CREATE ROLE cip_directory NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
-- Handing the view to cip_directory needs membership in it (a superuser has it anyway).
DO $$
BEGIN
  EXECUTE format('GRANT cip_directory TO %I', current_user);
EXCEPTION
  WHEN duplicate_object OR invalid_grant_operation OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DROP POLICY IF EXISTS tenants_directory ON tenants;
--> statement-breakpoint
CREATE POLICY tenants_own_select ON tenants FOR SELECT USING (id = cip_current_tenant());
--> statement-breakpoint
CREATE POLICY tenants_directory ON tenants FOR SELECT TO cip_directory USING (true);
--> statement-breakpoint
REVOKE ALL ON tenants FROM cip_directory;
--> statement-breakpoint
GRANT SELECT (id, slug, name, locale) ON tenants TO cip_directory;
--> statement-breakpoint
CREATE VIEW tenant_directory WITH (security_barrier) AS SELECT id, slug, name, locale FROM tenants;
--> statement-breakpoint
-- The default privileges of 0003 gave cip_app writes on every new relation: on this one it only reads.
REVOKE ALL ON tenant_directory FROM PUBLIC, cip_app;
--> statement-breakpoint
GRANT SELECT ON tenant_directory TO cip_app;
--> statement-breakpoint
-- ALTER ... OWNER needs CREATE on the schema for the new owner; it is taken back right after.
GRANT USAGE, CREATE ON SCHEMA public TO cip_directory;
--> statement-breakpoint
ALTER VIEW tenant_directory OWNER TO cip_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM cip_directory;
