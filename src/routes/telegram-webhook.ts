/**
 * Telegram's webhook. Order matters: the secret header is checked before the body is read (401, nothing
 * written), the update id is claimed before any side effect (a duplicate is a no-op, a storage failure a
 * 503 so Telegram retries), and the model work runs after the 200, in the chat's dialog object.
 */
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../schemas/common.ts";
import { TenantIdParam, WebhookAck } from "../schemas/telegram.ts";
import { dispatchUpdate } from "../services/telegram/update-handler.ts";
import { authenticateWebhook, claimUpdate, parseUpdate } from "../services/telegram/webhook.ts";
import { createRouter } from "./router.ts";

const webhookRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/telegram/webhook",
  security: [{ telegramSecret: [] }],
  tags: ["telegram"],
  summary: "Bot API updates (called by Telegram with X-Telegram-Bot-Api-Secret-Token)",
  description:
    "The body is a Telegram Update. It is read only after the secret header matched; an update that " +
    "cannot be understood is answered 200 and ignored, so Telegram does not redeliver it forever.",
  request: { params: TenantIdParam },
  responses: {
    200: { description: "Accepted (or ignored)", content: { "application/json": { schema: WebhookAck } } },
    ...errorResponses(401, 413, 422, 503),
  },
});

export const telegramWebhookRoutes = createRouter().openapi(webhookRoute, async (c) => {
  const { tenant_id: tenantId } = c.req.valid("param");
  const secret = c.req.header("x-telegram-bot-api-secret-token");
  const bot = await authenticateWebhook(c.var.db(), tenantId, secret);
  // A tenant the platform operator blocked: Telegram hears 200 (no redelivery), the update is dropped.
  if (bot.tenant.settings.blocked === true) return c.json({ ok: true }, 200);
  const update = parseUpdate(await c.req.text(), tenantId);
  if (update && (await claimUpdate(c.var.db(), tenantId, update.update_id))) {
    await dispatchUpdate(c.env, bot, update);
  }
  return c.json({ ok: true }, 200);
});
