/** The tenant's side of the platform limits: usage against each quota, and the support sessions opened. */
import { TenantIdParam } from "../schemas/accounts.ts";
import { QuotaListSchema, SupportSessionList } from "../schemas/platform.ts";
import { listSupportSessions } from "../services/platform/operator-audit.ts";
import { platformQuotas, QUOTA_IDS, quotaUsage, tenantQuotas } from "../services/platform/quotas.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["budget"] };

const quotasRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/quotas",
  summary: "Content quotas: how much of each the tenant uses, and its limit",
  request: { params: TenantIdParam },
  responses: { 200: ok("Quotas", QuotaListSchema) },
});

const sessionsRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/support-sessions",
  summary: "Read-only support sessions the platform operators opened for this cabinet",
  request: { params: TenantIdParam },
  responses: {
    200: ok("Support sessions, newest first", SupportSessionList),
  },
});

export const cabinetQuotaRoutes = createRouter()
  .openapi(quotasRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const db = c.var.db();
    const limits = await tenantQuotas(db, tenantId, platformQuotas(c.env));
    const used = await quotaUsage(db, tenantId);
    const quotas = QUOTA_IDS.map((id) => ({ id, used: used[id], limit: limits[id] }));
    return c.json({ quotas, max_message_chars: limits.maxMessageChars }, 200);
  })
  .openapi(sessionsRoute, async (c) =>
    c.json({ items: await listSupportSessions(c.var.db(), c.var.auth.tenantId) }, 200),
  );
