/** The owner's admin chat: the bot that interviews the owner and edits the prompt chunks itself. */
import { createRoute, z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import { createRouter } from "../lib/router.ts";
import { requireAuth } from "../middleware/auth/index.ts";
import { AdminChatBody, ChatParams, ChatReply, SSE_DESCRIPTION } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { chatReplyBody, sendChatTurn, startChatTurn } from "../services/chat.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["admin chat"];
const security = [{ bearer: [] }];

const streamRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/admin/chat",
  tags,
  security,
  summary: "Talk to the setup bot (SSE)",
  middleware: [requireAuth("owner")],
  request: { params: ChatParams, body: { ...json(AdminChatBody), required: true } },
  responses: {
    200: { description: SSE_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(401, 403, 404, 422, 429),
  },
});
const messageRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/admin/chat/message",
  tags,
  security,
  summary: "Talk to the setup bot (JSON)",
  middleware: [requireAuth("owner")],
  request: { params: ChatParams, body: { ...json(AdminChatBody), required: true } },
  responses: {
    200: { description: "The reply", ...json(ChatReply) },
    ...errorResponses(401, 403, 404, 422, 429, 502, 503),
  },
});

export const adminChatRoutes = createRouter()
  .openapi(streamRoute, async (c) => {
    const body = c.req.valid("json");
    const { tenantId, userId } = c.var.auth;
    const stream = await startChatTurn(c.env, {
      tenantId,
      channel: "admin",
      visitorId: userId,
      userId,
      message: body.message,
      dialogId: body.dialog_id,
    });
    return sseResponse(stream) as never;
  })
  .openapi(messageRoute, async (c) => {
    const body = c.req.valid("json");
    const { tenantId, userId } = c.var.auth;
    const result = await sendChatTurn(c.env, {
      tenantId,
      channel: "admin",
      visitorId: userId,
      userId,
      message: body.message,
      dialogId: body.dialog_id,
    });
    return c.json(chatReplyBody(result), 200);
  });
