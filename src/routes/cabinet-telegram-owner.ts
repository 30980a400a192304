/** An owner links (or unlinks) their own Telegram chat with the tenant's bot, to get lead alerts there. */
import { z } from "@hono/zod-openapi";
import { errorResponses } from "../schemas/common.ts";
import { TenantIdParam } from "../schemas/telegram.ts";
import { createOwnerLink, unlinkOwnerTelegram } from "../services/telegram/owner-link.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const OwnerLinkSchema = z
  .object({
    code: z.string().openapi({ description: "Single use; the bot links the chat that sends /start <code>" }),
    url: z.string().openapi({ example: "https://t.me/my_shop_bot?start=Q2xh…" }),
    expires_at: z.string().openapi({ description: "15 minutes after it was made (ISO 8601)" }),
  })
  .openapi("TelegramOwnerLink");

const common = {
  tags: ["telegram"],
  path: "/tenants/{tenant_id}/me/telegram/owner-link",
  request: { params: TenantIdParam },
};

const createLinkRoute = ownerRoute({
  ...common,
  method: "post",
  summary: "A t.me link that links the caller's Telegram chat to their account (lead alerts by the bot)",
  responses: {
    200: { description: "Link", content: { "application/json": { schema: OwnerLinkSchema } } },
    ...errorResponses(409),
  },
});

const unlinkRoute = ownerRoute({
  ...common,
  method: "delete",
  summary: "Forget the caller's linked Telegram chat (alerts stop coming there)",
  responses: { 204: { description: "Unlinked" } },
});

export const cabinetTelegramOwnerRoutes = createRouter()
  .openapi(createLinkRoute, async (c) => {
    const { tenantId, userId } = c.var.auth;
    c.header("Cache-Control", "no-store");
    return c.json(await createOwnerLink(c.var.db(), tenantId, userId), 200);
  })
  .openapi(unlinkRoute, async (c) => {
    await unlinkOwnerTelegram(c.var.db(), c.var.auth.tenantId, c.var.auth.userId);
    return c.body(null, 204);
  });
