/** The owner's Telegram bot: connect with a token (webhook registered), status, re-register, disconnect. */
import { frontendBaseUrl } from "../config.ts";
import { errorResponses } from "../schemas/common.ts";
import { TelegramConnectBody, TelegramStatusSchema, TenantIdParam } from "../schemas/telegram.ts";
import { botStatus, connectBot, disconnectBot } from "../services/telegram/connection.ts";
import { reregisterWebhook } from "../services/telegram/webhook-health.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["telegram"], path: "/tenants/{tenant_id}/me/telegram" };

const getRoute = ownerRoute({
  ...common,
  method: "get",
  summary: "The connected bot and its webhook status (never the token)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Status", TelegramStatusSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  summary: "Connect a bot: checks the token with getMe and registers the webhook with a fresh secret",
  request: { params: TenantIdParam, body: { ...json(TelegramConnectBody), required: true } },
  responses: {
    200: ok("Connected", TelegramStatusSchema),
    ...errorResponses(400, 422, 502, 503),
  },
});

const deleteRoute = ownerRoute({
  ...common,
  method: "delete",
  summary: "Disconnect: deletes the webhook and forgets the token",
  request: { params: TenantIdParam },
  responses: { 204: { description: "Disconnected" } },
});

const reregisterRoute = ownerRoute({
  ...common,
  path: "/tenants/{tenant_id}/me/telegram/webhook",
  method: "post",
  summary: "Register the webhook again (setWebhook with a fresh secret; pending updates are kept)",
  request: { params: TenantIdParam },
  responses: {
    200: ok("Registered again", TelegramStatusSchema),
    ...errorResponses(409, 422, 502, 503),
  },
});

export const cabinetTelegramRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json(await botStatus(c.var.db(), c.env, c.var.auth.tenantId), 200))
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const base = frontendBaseUrl(c.env, c.req.url);
    const status = await connectBot(c.var.db(), c.env, tenantId, c.req.valid("json").bot_token, base);
    return c.json(status, 200);
  })
  .openapi(deleteRoute, async (c) => {
    await disconnectBot(c.var.db(), c.env, c.var.auth.tenantId);
    return c.body(null, 204);
  })
  .openapi(reregisterRoute, async (c) => {
    const base = frontendBaseUrl(c.env, c.req.url);
    return c.json(await reregisterWebhook(c.var.db(), c.env, c.var.auth.tenantId, base), 200);
  });
