/** Shapes of the owner's outgoing webhooks: the cabinet routes and the events CIP posts. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

/** The events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = ["lead.created", "dialog.created", "message.created"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** A hook per tenant beyond this is refused (409). */
export const MAX_WEBHOOKS_PER_TENANT = 10;

/** What every delivery's body is: `data` depends on `type` (docs/webhooks.md). */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType | "ping";
  created_at: string;
  tenant_id: string;
  data: Record<string, unknown>;
}

export const WebhookParams = TenantIdParam.extend({
  webhook_id: z.uuid().openapi({ param: { name: "webhook_id", in: "path" } }),
});

export const WebhookCreateBody = z
  .object({
    url: z.string().min(1).max(2000).openapi({ example: "https://crm.example.com/hooks/cip" }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .max(WEBHOOK_EVENTS.length)
      .openapi({ example: ["lead.created"] }),
  })
  .strict()
  .openapi("WebhookCreate");

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    created_at: z.string().openapi({ example: "2026-11-20T10:00:00.000Z" }),
  })
  .openapi("Webhook");

export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: "The signing secret (whsec_…), shown only in this answer",
    example: "whsec_3q2-7w…",
  }),
}).openapi("WebhookCreated");

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).openapi("WebhookList");

export const DeliveryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const WebhookDeliverySchema = z
  .object({
    id: z.uuid(),
    event_id: z.uuid(),
    event_type: z.string().openapi({ example: "lead.created" }),
    attempt: z.number().int().openapi({ description: "1 for the first try of the event" }),
    attempted_at: z.string(),
    ok: z.boolean().openapi({ description: "The receiver answered 2xx" }),
    status_code: z.number().int().nullable().openapi({ description: "null when there was no answer" }),
    error: z.string().nullable().openapi({ example: "No answer within 10 s" }),
    duration_ms: z.number().int(),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When it is tried again; null after a success or the last try" }),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryListSchema = z
  .object({ items: z.array(WebhookDeliverySchema) })
  .openapi("WebhookDeliveryList");

export type WebhookItem = z.infer<typeof WebhookSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
