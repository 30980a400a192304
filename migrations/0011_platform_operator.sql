-- The platform operator (docs/operator.md). A tenant's block and its limits (message length, content
-- quotas) live in `tenants.settings` (keys `blocked`, `limits`): the chat path already reads that document
-- from the edge cache and the tenant object's snapshot, so the check costs nothing there. Only operator
-- routes write those keys.
--
-- operator_audit: every operator action, kept in the PLATFORM tenant's rows (tenant_id = the platform
-- tenant), with the tenant it was about in `target_tenant_id` (no foreign key: the trail outlives it).
CREATE TABLE "operator_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"actor_email" text NOT NULL,
	"action" text NOT NULL,
	"target_tenant_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "operator_audit" ADD CONSTRAINT "operator_audit_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "operator_audit_tenant_recent_idx" ON "operator_audit" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "operator_audit" TO cip_app;
--> statement-breakpoint
ALTER TABLE "operator_audit" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "operator_audit" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "operator_audit" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
--> statement-breakpoint
-- support_tickets: read-only access to a tenant's cabinet an operator opened, kept in the TARGET tenant's
-- rows so its owner sees them (…/me/support-sessions) and the auth check reads them in that tenant's scope.
CREATE TABLE "support_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"operator_user_id" uuid,
	"operator_email" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "support_tickets_reason_len" CHECK ("support_tickets"."reason" IS NULL OR char_length("support_tickets"."reason") <= 500)
);
--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "support_tickets_tenant_recent_idx" ON "support_tickets" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "support_tickets" TO cip_app;
--> statement-breakpoint
ALTER TABLE "support_tickets" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "support_tickets" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "support_tickets" USING (tenant_id = cip_current_tenant()) WITH CHECK (tenant_id = cip_current_tenant());
--> statement-breakpoint
-- The operator console lists every tenant. That read crosses tenants, so it goes through ONE function,
-- `cip_platform_tenants`, which runs with the rights of its own role `cip_platform` (NOLOGIN, owns nothing
-- else). That role may read exactly the columns the listing returns; cip_app may only call the function
-- (the app calls it only after the operator check, src/services/platform/operator-tenants.ts). The
-- function never returns settings beyond `blocked` and `limits`: no secret leaves a tenant.
DO $$
BEGIN
  CREATE ROLE cip_platform NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT cip_platform TO %I', current_user);
EXCEPTION
  WHEN duplicate_object OR invalid_grant_operation OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
GRANT SELECT ("id", "slug", "name", "settings", "created_at") ON "tenants" TO cip_platform;
--> statement-breakpoint
GRANT SELECT ("tenant_id", "email", "role", "created_at") ON "users" TO cip_platform;
--> statement-breakpoint
GRANT SELECT ("tenant_id") ON "dialogs" TO cip_platform;
--> statement-breakpoint
GRANT SELECT ("tenant_id", "day", "prompt_tokens", "completion_tokens") ON "usage_daily" TO cip_platform;
--> statement-breakpoint
CREATE POLICY platform_read ON "tenants" FOR SELECT TO cip_platform USING (true);
--> statement-breakpoint
CREATE POLICY platform_read ON "users" FOR SELECT TO cip_platform USING (true);
--> statement-breakpoint
CREATE POLICY platform_read ON "dialogs" FOR SELECT TO cip_platform USING (true);
--> statement-breakpoint
CREATE POLICY platform_read ON "usage_daily" FOR SELECT TO cip_platform USING (true);
--> statement-breakpoint
-- One page, newest sign-up first, after the keyset (p_after_at, p_after_id); p_search matches slug, name
-- or an owner's e-mail (substring, case-insensitive); p_id names one tenant instead.
CREATE FUNCTION cip_platform_tenants(p_search text, p_after_at timestamptz, p_after_id uuid, p_limit integer, p_id uuid)
  RETURNS TABLE (id uuid, slug text, name text, created_at timestamptz, created_at_text text, owner_email text,
                 dialogs bigint, tokens_month bigint, blocked boolean, limits jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
    SELECT t.id, t.slug, t.name, t.created_at,
      to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      (SELECT u.email FROM public.users u WHERE u.tenant_id = t.id AND u.role = 'owner' ORDER BY u.created_at LIMIT 1),
      (SELECT count(*) FROM public.dialogs d WHERE d.tenant_id = t.id),
      (SELECT coalesce(sum(x.prompt_tokens + x.completion_tokens), 0)::bigint FROM public.usage_daily x
        WHERE x.tenant_id = t.id AND x.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date),
      coalesce((t.settings ->> 'blocked')::boolean, false),
      coalesce(t.settings -> 'limits', '{}'::jsonb)
    FROM public.tenants t
    WHERE (p_id IS NULL OR t.id = p_id)
      AND (p_after_at IS NULL OR (t.created_at, t.id) < (p_after_at, p_after_id))
      AND (p_search IS NULL OR p_search = ''
        OR strpos(lower(t.slug), lower(p_search)) > 0
        OR strpos(lower(t.name), lower(p_search)) > 0
        OR EXISTS (SELECT 1 FROM public.users o WHERE o.tenant_id = t.id AND o.role = 'owner'
                   AND strpos(lower(o.email), lower(p_search)) > 0))
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT greatest(1, least(p_limit, 101))
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION cip_platform_tenants(text, timestamptz, uuid, integer, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cip_platform_tenants(text, timestamptz, uuid, integer, uuid) TO cip_app;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA public TO cip_platform;
--> statement-breakpoint
ALTER FUNCTION cip_platform_tenants(text, timestamptz, uuid, integer, uuid) OWNER TO cip_platform;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM cip_platform;
