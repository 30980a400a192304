/** Request and response schemas of the visitor routes around the chat: widget tokens and identify. */
import { z } from "@hono/zod-openapi";
import { phoneLead } from "../chat/leads.ts";
import { WIDGET_TOKEN_MAX_LENGTH } from "../lib/widget-token.ts";
import { boundedText } from "./cabinet.ts";

const VisitorId = z.string().trim().min(1).max(128).openapi({ example: "visitor-7f3a" });

/** The `X-Widget-Token` header every visitor route takes (required when the tenant protects its embed). */
export const WidgetTokenHeaders = z.object({
  "x-widget-token": z
    .string()
    .max(WIDGET_TOKEN_MAX_LENGTH)
    .regex(/^[A-Za-z0-9._-]+$/, "Not a widget token.")
    .optional()
    .openapi({
      description: "Widget token from POST .../chat/widget-token; required when the embed is protected",
    }),
});

/** The headers of a chat message: the widget token, and the Turnstile token (or body `turnstile_token`). */
export const ChatHeaders = WidgetTokenHeaders.extend({
  "x-turnstile-token": z
    .string()
    .max(2048)
    .regex(/^[\x21-\x7e]+$/, "Not a Turnstile token.")
    .optional()
    .openapi({ description: "Turnstile token (instead of the body field turnstile_token)" }),
});

export const WidgetTokenBody = z
  .object({
    user_id: VisitorId,
    pass: z.string().min(1).max(WIDGET_TOKEN_MAX_LENGTH).optional().openapi({
      description: "The embed page's pass (it binds the token to the host page the page was served for)",
    }),
  })
  .strict()
  .openapi("WidgetTokenRequest");

export const WidgetTokenReply = z
  .object({
    token: z.string(),
    expires_at: z.string().openapi({ example: "2026-11-20T10:15:00.000Z" }),
    expires_in: z.number().int().openapi({ description: "Seconds" }),
    origin: z.string().openapi({ description: "The page origin the token is bound to; empty for none" }),
  })
  .openapi("WidgetToken");

const Phone = z
  .string()
  .max(40)
  .refine(
    (s) => phoneLead(s) !== null,
    "Use an international number like +44 20 7946 0958 (or 8 912 345-67-89).",
  )
  .openapi({ example: "+44 20 7946 0958" });

export const IdentifyBody = z
  .object({
    user_id: VisitorId,
    dialog_id: z.uuid().optional().openapi({ description: "The visitor's dialog, to link the lead to it" }),
    name: boundedText(100, 1).optional(),
    email: z.email().max(254).optional(),
    phone: Phone.optional(),
  })
  .strict()
  .refine((b) => b.email !== undefined || b.phone !== undefined, {
    message: "Give an e-mail address or a phone number.",
    path: ["email"],
  })
  .openapi("VisitorIdentify");

export const IdentifyReply = z
  .object({
    stored: z.number().int().openapi({ description: "Leads the tenant did not have yet" }),
    dialog_id: z.uuid().nullable(),
  })
  .openapi("VisitorIdentified");
