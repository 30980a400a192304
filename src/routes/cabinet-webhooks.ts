/** The owner's outgoing webhooks: add (secret shown once), list, delete, deliveries, send a test event. */
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  DeliveryListQuery,
  TenantIdParam,
  WebhookCreateBody,
  WebhookCreatedSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookParams,
} from "../schemas/webhooks.ts";
import { listDeliveries } from "../services/webhooks/attempts.ts";
import { createWebhook, deleteWebhook, listWebhooks } from "../services/webhooks/store.ts";
import { sendTestEvent } from "../services/webhooks/test-event.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = {
  tags: ["webhooks"],
};
const base = "/tenants/{tenant_id}/me/webhooks";

const createRouteDef = ownerRoute({
  ...common,
  method: "post",
  path: base,
  summary: "Add a webhook: events are POSTed to `url`, signed with the secret returned here (shown once)",
  request: { params: TenantIdParam, body: { ...json(WebhookCreateBody), required: true } },
  responses: { 201: ok("Created", WebhookCreatedSchema), ...errorResponses(409, 422) },
});

const listRoute = ownerRoute({
  ...common,
  method: "get",
  path: base,
  summary: "The tenant's webhooks (never their secrets)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Webhooks", WebhookListSchema) },
});

const deleteRouteDef = ownerRoute({
  ...common,
  method: "delete",
  path: `${base}/{webhook_id}`,
  summary: "Delete a webhook; its pending deliveries stop",
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" } },
});

const deliveriesRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${base}/{webhook_id}/deliveries`,
  summary: "The webhook's latest delivery attempts, newest first (status or error, next try)",
  request: { params: WebhookParams, query: DeliveryListQuery },
  responses: { 200: ok("Attempts", WebhookDeliveryListSchema) },
});

const testRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/{webhook_id}/test`,
  summary: "Send a signed `ping` event now and answer the attempt (not retried)",
  request: { params: WebhookParams },
  responses: { 200: ok("The attempt", WebhookDeliverySchema), ...errorResponses(503) },
});

/** Dialogs record events only for subscribed types, and the outbox caches the hooks: both re-read. */
async function hooksChanged(c: Context<AppEnv>, tenantId: string): Promise<void> {
  await c.env.TENANTS.getByName(tenantId).invalidate();
  await c.env.OUTBOX.getByName(tenantId).webhooksChanged();
}

export const cabinetWebhookRoutes = createRouter()
  .openapi(createRouteDef, async (c) => {
    const { tenantId, userId } = c.var.auth;
    const created = await createWebhook(c.var.db(), c.env, tenantId, userId, c.req.valid("json"));
    await hooksChanged(c, tenantId);
    c.header("Cache-Control", "no-store");
    return c.json(created, 201);
  })
  .openapi(listRoute, async (c) =>
    c.json({ items: await listWebhooks(c.var.db(), c.var.auth.tenantId) }, 200),
  )
  .openapi(deleteRouteDef, async (c) => {
    const { tenantId } = c.var.auth;
    await deleteWebhook(c.var.db(), tenantId, c.req.valid("param").webhook_id);
    await hooksChanged(c, tenantId);
    return c.body(null, 204);
  })
  .openapi(deliveriesRoute, async (c) => {
    const { webhook_id } = c.req.valid("param");
    const items = await listDeliveries(
      c.var.db(),
      c.var.auth.tenantId,
      webhook_id,
      c.req.valid("query").limit,
    );
    return c.json({ items }, 200);
  })
  .openapi(testRoute, async (c) => {
    const { webhook_id } = c.req.valid("param");
    const attempt = await sendTestEvent(c.var.db(), c.env, c.var.auth.tenantId, webhook_id, c.var.commit);
    return c.json(attempt, 200);
  });
