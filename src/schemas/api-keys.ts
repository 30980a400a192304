/** Request and response schemas of the owner's API keys (docs/api-clients.md). */
import { z } from "@hono/zod-openapi";
import { API_KEY_SCOPES, type ApiKeyScope } from "../lib/api-key-routes.ts";
import { TenantIdParam } from "./accounts.ts";
import { boundedText } from "./cabinet.ts";

const Scope = z.enum(API_KEY_SCOPES as [ApiKeyScope, ...ApiKeyScope[]]).openapi({
  description: "`read`: the GET routes of the tenant's data; `chat`: the visitor chat without a widget token",
});

export const ApiKeyParams = TenantIdParam.extend({
  key_id: z.uuid().openapi({ param: { name: "key_id", in: "path" } }),
});

export const ApiKeyCreateBody = z
  .object({
    name: boundedText(100, 1).openapi({ example: "CRM sync" }),
    scopes: z
      .array(Scope)
      .min(1)
      .max(API_KEY_SCOPES.length)
      .openapi({ example: ["read"] }),
  })
  .openapi("ApiKeyCreate");

const Timestamp = z.string().openapi({ example: "2026-11-20T10:00:00.000Z" });

const itemShape = {
  id: z.uuid(),
  name: z.string(),
  prefix: z
    .string()
    .openapi({ description: "The key's first characters, to tell keys apart", example: "cip_3fA9xk2Q" }),
  scopes: z.array(Scope),
  created_at: Timestamp,
};

export const ApiKeySchema = z
  .object({
    ...itemShape,
    last_used_at: Timestamp.nullable().openapi({ description: "Updated at most once a minute" }),
  })
  .openapi("ApiKey");

export const ApiKeyCreatedSchema = z
  .object({
    ...itemShape,
    key: z.string().openapi({
      description: "The key: send it as `Authorization: Bearer <key>`. Shown in this answer only.",
      example: "cip_3fA9xk2Q…",
    }),
  })
  .openapi("ApiKeyCreated");

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) }).openapi("ApiKeyList");
