/** The owner's admin chat: the bot that interviews the owner and edits the prompt chunks itself. */
import { createRoute, z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import type { AuthContext } from "../env.ts";
import { requireAuth } from "../middleware/auth/index.ts";
import { AdminChatBody, ChatParams, ChatReply, SSE_DESCRIPTION } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  type ChatTurnRequest,
  chatReplyBody,
  sendChatTurn,
  startChatTurn,
} from "../services/dialogs/chat.ts";
import { createRouter } from "./router.ts";

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

/** The owner's turn with the setup bot: the owner is the dialog's visitor. */
function ownerTurn(auth: AuthContext, body: z.infer<typeof AdminChatBody>): ChatTurnRequest {
  const { tenantId, userId } = auth;
  return {
    tenantId,
    channel: "admin",
    visitorId: userId,
    userId,
    message: body.message,
    dialogId: body.dialog_id,
  };
}

export const adminChatRoutes = createRouter()
  .openapi(streamRoute, async (c) => {
    const body = c.req.valid("json");
    const stream = await startChatTurn(c.env, ownerTurn(c.var.auth, body));
    return sseResponse(stream) as never;
  })
  .openapi(messageRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await sendChatTurn(c.env, ownerTurn(c.var.auth, body));
    return c.json(chatReplyBody(result), 200);
  });
