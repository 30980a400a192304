/**
 * Answer feedback: the visitor's thumbs up or down (and optional comment) on an answer of its own web
 * dialog. A visitor route like the chat: a protected embed's widget token is checked first, and each
 * address and visitor may rate only so often (the ratings are the owner's data: no script may flood them).
 */
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../schemas/common.ts";
import { FeedbackBody, FeedbackParams, FeedbackReply } from "../schemas/feedback.ts";
import { WidgetTokenHeaders } from "../schemas/visitor.ts";
import { rateAnswer } from "../services/dialogs/answer-feedback.ts";
import { guardChat } from "../services/embed/chat-guard.ts";
import { clientIp, enforceRateLimits } from "../services/platform/rate-limit.ts";
import { chatCaller } from "./chat-caller.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const HOUR = 3600;

const feedbackRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat/{dialog_id}/messages/{message_id}/feedback",
  operationId: "rateAnswer",
  tags: ["chat"],
  summary: "Rate an answer of your dialog: thumbs up or down, with an optional comment",
  description:
    "Only the dialog's own visitor (`user_id`) may rate, and only the assistant's answers (`message_id` " +
    "from the stream's `meta`/`done` events or the JSON reply). One rating per answer: a new one " +
    "replaces it. An answer just finished may be rated before it reaches the cabinet.",
  request: {
    params: FeedbackParams,
    headers: WidgetTokenHeaders,
    body: { ...json(FeedbackBody), required: true },
  },
  responses: {
    200: { description: "The rating as stored", ...json(FeedbackReply) },
    ...errorResponses(401, 403, 404, 409, 422, 429),
  },
});

export const chatFeedbackRoutes = createRouter().openapi(feedbackRoute, async (c) => {
  const { tenant_id, dialog_id, message_id } = c.req.valid("param");
  const body = c.req.valid("json");
  await guardChat(c.env, chatCaller(c, tenant_id, body.user_id));
  await enforceRateLimits(c.env, [
    { key: `feedback:ip:${clientIp(c.req.raw.headers)}`, limit: 120, windowSeconds: HOUR },
    { key: `feedback:visitor:${tenant_id}:${body.user_id}`, limit: 60, windowSeconds: HOUR },
  ]);
  const stored = await rateAnswer(c.env, c.var.db, {
    tenantId: tenant_id,
    dialogId: dialog_id,
    messageId: message_id,
    visitorId: body.user_id,
    rating: body.rating,
    comment: body.comment,
  });
  return c.json(stored, 200);
});
