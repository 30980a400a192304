/**
 * The platform operator's console API (docs/operator.md): tenants listed and searched across the
 * platform, blocked and unblocked, their limits changed, read-only support sessions opened, and the
 * audit trail of all of it. Every route requires an operator (`requireOperator`).
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authConfig } from "../config.ts";
import type { AppEnv } from "../env.ts";
import { requireOperator } from "../middleware/auth/platform-operator.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  AuditPage,
  AuditQuery,
  LimitsBody,
  OperatorSchema,
  PlatformTenantPage,
  PlatformTenantParam,
  PlatformTenantSchema,
  TenantSearchQuery,
  TicketBody,
  TicketSchema,
} from "../schemas/platform.ts";
import { forgetEdgeSettings } from "../services/embed/edge-tenant-settings.ts";
import { listAudit, type Operator } from "../services/platform/operator-audit.ts";
import {
  getPlatformTenant,
  listTenants,
  openTicket,
  setBlocked,
  setLimits,
} from "../services/platform/operator-tenants.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = {
  tags: ["platform"],
  security: [{ bearer: [] }],
};

const meRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "get",
  path: "/platform/me",
  summary: "Whether the caller is a platform operator (200) or not (403)",
  responses: { 200: ok("The operator", OperatorSchema), ...errorResponses(401, 403) },
});
const listRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "get",
  path: "/platform/tenants",
  summary: "Tenants, newest sign-up first; search by slug, name or owner e-mail",
  request: { query: TenantSearchQuery },
  responses: { 200: ok("Tenants", PlatformTenantPage), ...errorResponses(401, 403, 422) },
});
const getRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "get",
  path: "/platform/tenants/{id}",
  summary: "One tenant",
  request: { params: PlatformTenantParam },
  responses: { 200: ok("The tenant", PlatformTenantSchema), ...errorResponses(401, 403, 404) },
});
const blockRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "post",
  path: "/platform/tenants/{id}/block",
  summary: "Block a tenant: its chat answers 'unavailable', Telegram updates are dropped, sign-in is refused",
  description: "409 `conflict` for the platform tenant itself: the operators sign in through it.",
  request: { params: PlatformTenantParam },
  responses: { 200: ok("The tenant", PlatformTenantSchema), ...errorResponses(401, 403, 404, 409) },
});
const unblockRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "post",
  path: "/platform/tenants/{id}/unblock",
  summary: "Unblock a tenant",
  request: { params: PlatformTenantParam },
  responses: { 200: ok("The tenant", PlatformTenantSchema), ...errorResponses(401, 403, 404) },
});
const limitsRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "put",
  path: "/platform/tenants/{id}/limits",
  summary: "Replace a tenant's limits (message length, content quotas); null or left out: the default",
  request: { params: PlatformTenantParam, body: { ...json(LimitsBody), required: true } },
  responses: { 200: ok("The tenant", PlatformTenantSchema), ...errorResponses(400, 401, 403, 404, 422) },
});
const ticketRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "post",
  path: "/platform/tenants/{id}/tickets",
  summary: "Open a 30-minute read-only support session for a tenant's cabinet",
  request: { params: PlatformTenantParam, body: { ...json(TicketBody), required: true } },
  responses: { 201: ok("The session's token", TicketSchema), ...errorResponses(400, 401, 403, 404, 422) },
});
const auditRoute = createRoute({
  ...common,
  middleware: [requireOperator()] as const,
  method: "get",
  path: "/platform/audit",
  summary: "Every operator action (who, what, when, which tenant), newest first",
  request: { query: AuditQuery },
  responses: { 200: ok("The audit trail", AuditPage), ...errorResponses(401, 403, 422) },
});

function operator(c: Context<AppEnv>): Operator {
  const auth = c.var.auth;
  return { userId: auth.userId, email: auth.operatorEmail ?? "", platformTenantId: auth.tenantId };
}

/** After a block or a limits change: the chat path's caches (tenant object, this isolate's edge copy). */
async function settingsChanged(c: Context<AppEnv>, tenantId: string): Promise<void> {
  await invalidatePromptCache(c, tenantId);
  forgetEdgeSettings(tenantId);
}

export const platformRoutes = createRouter()
  .openapi(meRoute, (c) =>
    c.json({ email: c.var.auth.operatorEmail ?? "", platform_tenant_id: c.var.auth.tenantId }, 200),
  )
  .openapi(listRoute, async (c) => c.json(await listTenants(c.var.db(), c.req.valid("query")), 200))
  .openapi(getRoute, async (c) => c.json(await getPlatformTenant(c.var.db(), c.req.valid("param").id), 200))
  .openapi(blockRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await setBlocked(c.var.db(), operator(c), id, true);
    await settingsChanged(c, id);
    return c.json(tenant, 200);
  })
  .openapi(unblockRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await setBlocked(c.var.db(), operator(c), id, false);
    await settingsChanged(c, id);
    return c.json(tenant, 200);
  })
  .openapi(limitsRoute, async (c) => {
    const { id } = c.req.valid("param");
    const tenant = await setLimits(c.var.db(), operator(c), id, c.req.valid("json"));
    await settingsChanged(c, id);
    return c.json(tenant, 200);
  })
  .openapi(ticketRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const ticket = await openTicket(c.var.db(), operator(c), id, reason, authConfig(c.env));
    return c.json(ticket, 201);
  })
  .openapi(auditRoute, async (c) =>
    c.json(await listAudit(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  );
