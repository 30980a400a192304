/**
 * The visitor's live channel of a web dialog: operator replies written in the cabinet during a takeover,
 * and the takeover state, as SSE. Only the dialog's own visitor (`user_id`) may follow it, as with resume.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { sseResponse } from "../chat/sse-format.ts";
import { DialogParams } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { FeedHeaders, VISITOR_FEED_DESCRIPTION, VisitorFeedQuery } from "../schemas/takeover.ts";
import { WidgetTokenHeaders } from "../schemas/visitor.ts";
import { guardChat } from "../services/embed/chat-guard.ts";
import { openVisitorFeed } from "../services/takeover/takeover.ts";
import { chatCaller } from "./chat-caller.ts";
import { createRouter } from "./router.ts";

const eventsRoute = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/chat/{dialog_id}/events",
  tags: ["chat"],
  summary: "Follow operator replies of a taken-over dialog live, after Last-Event-ID",
  request: {
    params: DialogParams,
    query: VisitorFeedQuery,
    headers: FeedHeaders.extend(WidgetTokenHeaders.shape),
  },
  responses: {
    200: { description: VISITOR_FEED_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(401, 403, 404, 422),
  },
});

export const chatEventRoutes = createRouter().openapi(eventsRoute, async (c) => {
  const { tenant_id, dialog_id } = c.req.valid("param");
  const query = c.req.valid("query");
  const afterSeq = query.last_event_id ?? Number(c.req.valid("header")["last-event-id"] ?? 0);
  // A visitor route like the chat: a protected embed's widget token is checked before the dialog object.
  await guardChat(c.env, chatCaller(c, tenant_id, query.user_id));
  const stream = await openVisitorFeed(c.env, tenant_id, dialog_id, query.user_id, afterSeq);
  return sseResponse(stream) as never;
});
