/** Request and response schemas of the platform operator's console and of the tenant's quotas view. */
import { z } from "@hono/zod-openapi";
import { MESSAGE_CHARS_MAX, MESSAGE_CHARS_MIN } from "./limits.ts";

const Timestamp = z.string().openapi({ example: "2026-12-06T10:00:00.000Z" });
const Cursor = z
  .string()
  .min(1)
  .max(300)
  .optional()
  .openapi({ description: "next_cursor of the page before" });
const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const PlatformTenantParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The tenant's id" }),
});

/** Largest quota an operator may set: far above any real tenant, exact as a JSON number. */
const QUOTA_MAX = 1_000_000_000_000;
const quota = (description: string) =>
  z.number().int().min(0).max(QUOTA_MAX).nullable().optional().openapi({ description });

/** A tenant's limits; null or left out: the platform default. */
export const LimitsBody = z
  .object({
    max_message_chars: z
      .number()
      .int()
      .min(MESSAGE_CHARS_MIN)
      .max(MESSAGE_CHARS_MAX)
      .nullable()
      .optional()
      .openapi({ description: `Longest visitor message (${MESSAGE_CHARS_MIN}..${MESSAGE_CHARS_MAX})` }),
    documents: quota("Documents the tenant may upload"),
    galleries: quota("Galleries"),
    images_per_gallery: quota("Images in one gallery"),
    chunks: quota("Prompt chunks"),
    storage_bytes: quota("Bytes stored (files, gallery images, documents)"),
  })
  .strict()
  .openapi("TenantLimits");

export const PlatformTenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    created_at: Timestamp,
    owner_email: z.string().nullable(),
    dialogs: z.number().int(),
    tokens_month: z.number().int().openapi({ description: "Model tokens this UTC month" }),
    blocked: z.boolean(),
    limits: LimitsBody,
  })
  .openapi("PlatformTenant");

export const PlatformTenantPage = z
  .object({ items: z.array(PlatformTenantSchema), next_cursor: z.string().nullable() })
  .openapi("PlatformTenantPage");

export const TenantSearchQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: "Part of a slug, name or owner e-mail" }),
  cursor: Cursor,
  limit: Limit(100, 50),
});

export const OperatorSchema = z
  .object({ email: z.string(), platform_tenant_id: z.uuid() })
  .openapi("PlatformOperator");

export const TicketBody = z
  .object({
    reason: z.string().trim().max(500).optional().openapi({ description: "Why (shown to the owner)" }),
  })
  .openapi("SupportTicketInput");

export const TicketSchema = z
  .object({
    access_token: z.string().openapi({ description: "A read-only bearer token for the tenant's cabinet" }),
    token_type: z.literal("bearer"),
    expires_in: z.number().int(),
    expires_at: Timestamp,
    tenant_id: z.uuid(),
    slug: z.string(),
  })
  .openapi("SupportTicket");

export const AuditQuery = z.object({
  cursor: Cursor,
  limit: Limit(100, 50),
  tenant_id: z.uuid().optional().openapi({ description: "Only actions about this tenant" }),
});

export const AuditPage = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        actor_email: z.string(),
        action: z.string().openapi({ example: "tenant.block" }),
        target_tenant_id: z.uuid().nullable(),
        details: z.record(z.string(), z.unknown()),
        created_at: Timestamp,
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi("OperatorAuditPage");

export const QuotaListSchema = z
  .object({
    quotas: z.array(
      z.object({
        id: z.enum(["documents", "galleries", "images_per_gallery", "chunks", "storage_bytes"]),
        used: z.number().int(),
        limit: z.number().int(),
      }),
    ),
    max_message_chars: z.number().int(),
  })
  .openapi("Quotas");

export const SupportSessionList = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        operator_email: z.string(),
        reason: z.string().nullable(),
        created_at: Timestamp,
        expires_at: Timestamp,
        active: z.boolean(),
      }),
    ),
  })
  .openapi("SupportSessions");
