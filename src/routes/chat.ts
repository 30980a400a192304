/** The public chat (web widget and page): SSE and JSON forms of one turn, and the deliberate stop. */
import { createRoute, z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import { ChatBody, ChatParams, ChatReply, DialogParams, SSE_DESCRIPTION, StopBody } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { ChatHeaders, WidgetTokenHeaders } from "../schemas/visitor.ts";
import {
  chatReplyBody,
  resumeChatTurn,
  sendChatTurn,
  startChatTurn,
  stopChatTurn,
} from "../services/dialogs/chat.ts";
import { guardChat } from "../services/embed/chat-guard.ts";
import { chatCaller } from "./chat-caller.ts";
import { visitorTurn } from "./chat-visitor-turn.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["chat"];

const streamRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat",
  tags,
  summary: "Send a message; the reply streams as SSE",
  request: { params: ChatParams, headers: ChatHeaders, body: { ...json(ChatBody), required: true } },
  responses: {
    200: { description: SSE_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404, 413, 422, 429, 502, 503),
  },
});
const messageRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat/message",
  tags,
  summary: "Send a message; the whole reply as JSON",
  request: { params: ChatParams, headers: ChatHeaders, body: { ...json(ChatBody), required: true } },
  responses: {
    200: { description: "The reply", ...json(ChatReply) },
    ...errorResponses(400, 401, 403, 404, 413, 422, 429, 502, 503),
  },
});
const stopRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat/{dialog_id}/stop",
  tags,
  summary: "Stop the reply being written (keeps the part so far)",
  request: { params: DialogParams, headers: WidgetTokenHeaders, body: { ...json(StopBody), required: true } },
  responses: {
    200: { description: "Whether a reply was running", ...json(z.object({ stopped: z.boolean() })) },
    ...errorResponses(401, 403, 404, 422),
  },
});

const resumeRoute = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/chat/{dialog_id}/stream",
  tags,
  summary: "Resume the latest answer's stream after Last-Event-ID (no new model call)",
  request: {
    params: DialogParams,
    query: z.object({
      user_id: z.string().trim().min(1).max(128),
      last_event_id: z.coerce.number().int().min(0).max(1_000_000).optional(),
    }),
    headers: WidgetTokenHeaders.extend({
      "last-event-id": z
        .string()
        .regex(/^\d{1,7}$/)
        .optional(),
    }),
  },
  responses: {
    200: { description: SSE_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(401, 403, 404, 422),
  },
});

export const chatRoutes = createRouter()
  .openapi(streamRoute, async (c) => {
    const { tenant_id } = c.req.valid("param");
    const stream = await visitorTurn(c, tenant_id, c.req.valid("json"), (turn) => startChatTurn(c.env, turn));
    return sseResponse(stream) as never;
  })
  .openapi(messageRoute, async (c) => {
    const { tenant_id } = c.req.valid("param");
    const result = await visitorTurn(c, tenant_id, c.req.valid("json"), (turn) => sendChatTurn(c.env, turn));
    return c.json(chatReplyBody(result), 200);
  })
  .openapi(resumeRoute, async (c) => {
    const { tenant_id, dialog_id } = c.req.valid("param");
    const query = c.req.valid("query");
    const afterId = query.last_event_id ?? Number(c.req.valid("header")["last-event-id"] ?? 0);
    await guardChat(c.env, chatCaller(c, tenant_id, query.user_id));
    const stream = await resumeChatTurn(c.env, tenant_id, dialog_id, query.user_id, afterId);
    return sseResponse(stream) as never;
  })
  .openapi(stopRoute, async (c) => {
    const { tenant_id, dialog_id } = c.req.valid("param");
    await guardChat(c.env, chatCaller(c, tenant_id, c.req.valid("json").user_id));
    return c.json(
      { stopped: await stopChatTurn(c.env, tenant_id, dialog_id, c.req.valid("json").user_id) },
      200,
    );
  });
