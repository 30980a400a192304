/**
 * Visitor routes around the public chat: widget tokens for protected embeds, and `cip:identify` (the
 * host page names the visitor as a lead). Under `/chat/`, so the chat's CORS rules apply to them too.
 */
import { createRoute } from "@hono/zod-openapi";
import { ChatParams } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  IdentifyBody,
  IdentifyReply,
  WidgetTokenBody,
  WidgetTokenHeaders,
  WidgetTokenReply,
} from "../schemas/visitor.ts";
import { identifyVisitor } from "../services/dialogs/visitor-identify.ts";
import { guardChat } from "../services/embed/chat-guard.ts";
import { issueWidgetToken } from "../services/embed/widget-tokens.ts";
import { clientIp, enforceRateLimits } from "../services/platform/rate-limit.ts";
import { chatCaller, selfOrigins } from "./chat-caller.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const tags = ["chat"];
const HOUR = 3600;

const tokenRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat/widget-token",
  security: [],
  tags,
  summary: "A 15-minute widget token for a visitor (needed by the chat API when the embed is protected)",
  description:
    "Bound to the tenant, the visitor and a page origin: the embed page's `pass` (its host page), else the " +
    "browser's Origin. The origin must be CIP's own, one of the tenant's allowed origins, or anything while " +
    "none are listed. Refresh before `expires_at`.",
  request: { params: ChatParams, body: { ...json(WidgetTokenBody), required: true } },
  responses: {
    200: { description: "The token", ...json(WidgetTokenReply) },
    ...errorResponses(401, 403, 404),
  },
});

const identifyRoute = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/chat/identify",
  tags,
  summary: "Store the visitor's name, e-mail and phone as a lead (the host page's cip:identify)",
  request: {
    params: ChatParams,
    headers: WidgetTokenHeaders,
    body: { ...json(IdentifyBody), required: true },
  },
  responses: {
    200: { description: "Stored (deduplicated per tenant)", ...json(IdentifyReply) },
    ...errorResponses(401, 403, 404, 429),
  },
});

export const chatVisitorRoutes = createRouter()
  .openapi(tokenRoute, async (c) => {
    const body = c.req.valid("json");
    const issued = await issueWidgetToken(c.env, {
      tenantId: c.req.valid("param").tenant_id,
      visitorId: body.user_id,
      pass: body.pass,
      origin: c.req.header("origin"),
      referer: c.req.header("referer"),
      selfOrigins: selfOrigins(c),
    });
    c.header("Cache-Control", "no-store");
    return c.json(issued, 200);
  })
  .openapi(identifyRoute, async (c) => {
    const tenantId = c.req.valid("param").tenant_id;
    const body = c.req.valid("json");
    await guardChat(c.env, chatCaller(c, tenantId, body.user_id));
    // Leads are the owner's inbox: a script must not be able to flood it.
    await enforceRateLimits(c.env, [
      { key: `identify:ip:${clientIp(c.req.raw.headers)}`, limit: 30, windowSeconds: HOUR },
      { key: `identify:visitor:${tenantId}:${body.user_id}`, limit: 10, windowSeconds: HOUR },
    ]);
    const result = await identifyVisitor(
      c.env,
      c.var.db,
      {
        tenantId,
        visitorId: body.user_id,
        dialogId: body.dialog_id,
        name: body.name,
        email: body.email,
        phone: body.phone,
      },
      c.var.commit,
    );
    return c.json(result, 200);
  });
