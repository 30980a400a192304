/** The owner's admin chat: the bot that interviews the owner and edits the prompt chunks itself. */
import { z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import type { AuthContext } from "../env.ts";
import {
  AdminChatBody,
  AdminChatOpened,
  AdminChatStartBody,
  ChatParams,
  ChatReply,
  SSE_DESCRIPTION,
} from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  type ChatTurnRequest,
  chatReplyBody,
  sendChatTurn,
  startChatTurn,
} from "../services/dialogs/chat.ts";
import { openSetupChat } from "../services/dialogs/setup-chat.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["admin chat"];

const streamRoute = ownerRoute({
  method: "post",
  path: "/tenants/{tenant_id}/admin/chat",
  tags,
  summary: "Talk to the setup bot (SSE)",
  request: { params: ChatParams, body: { ...json(AdminChatBody), required: true } },
  responses: {
    200: { description: SSE_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(422, 429),
  },
});
const messageRoute = ownerRoute({
  method: "post",
  path: "/tenants/{tenant_id}/admin/chat/message",
  tags,
  summary: "Talk to the setup bot (JSON)",
  request: { params: ChatParams, body: { ...json(AdminChatBody), required: true } },
  responses: {
    200: { description: "The reply", ...json(ChatReply) },
    ...errorResponses(422, 429, 502, 503),
  },
});

const startRoute = ownerRoute({
  method: "post",
  path: "/tenants/{tenant_id}/admin/chat/start",
  operationId: "startAdminChat",
  tags,
  summary: "Open a new setup chat: the bot's opening question, stored as its first message (no model call)",
  request: { params: ChatParams, body: { ...json(AdminChatStartBody), required: false } },
  responses: {
    201: { description: "The new dialog and its first message", ...json(AdminChatOpened) },
    ...errorResponses(422),
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
  .openapi(startRoute, async (c) => {
    const { tenantId, userId } = c.var.auth;
    // The body is optional: a bare POST greets in the tenant's language.
    const raw = (await c.req.json().catch(() => ({}))) as unknown;
    const body = AdminChatStartBody.safeParse(raw ?? {});
    const locale = body.success ? body.data.locale : undefined;
    const opened = await openSetupChat(c.env, { tenantId, userId, locale });
    return c.json(
      {
        dialog_id: opened.dialogId,
        message: {
          id: opened.messageId,
          role: "assistant" as const,
          content: opened.text,
          created_at: opened.createdAt,
        },
      },
      201,
    );
  })
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
