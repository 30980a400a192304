/** Shapes of the cabinet's mail delivery panel: account mail that failed, and retrying it. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

export const MailDeliveryParams = TenantIdParam.extend({
  delivery_id: z.uuid().openapi({ param: { name: "delivery_id", in: "path" } }),
});

export const MailDeliveryListQuery = z.object({
  status: z
    .enum(["failed", "sent"])
    .optional()
    .openapi({ description: "Only still-failed mail, or only mail a retry delivered; default both" }),
  cursor: z.string().min(1).max(300).optional().openapi({ description: "next_cursor of the page before" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const MailDeliverySchema = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ description: "confirm | reset | already_registered", example: "confirm" }),
    to_email: z.string(),
    user_id: z.uuid().nullable(),
    status: z.enum(["failed", "sent"]),
    error: z
      .string()
      .nullable()
      .openapi({ description: "The mail server's refusal, without tokens or credentials; null once sent" }),
    attempts: z.number().int(),
    created_at: z.string().openapi({ example: "2026-11-20T10:00:00.000Z" }),
    last_attempt_at: z.string().openapi({ example: "2026-11-20T10:05:00.000Z" }),
  })
  .openapi("MailDelivery");

export const MailDeliveryPageSchema = z
  .object({ items: z.array(MailDeliverySchema), next_cursor: z.string().nullable() })
  .openapi("MailDeliveryPage");
