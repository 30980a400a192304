/** Shapes of the tenant's base prompt (`…/me/prompt/base`), its history and restore. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";
import { BASE_PROMPT_MAX } from "./limits.ts";

export const BasePromptBody = z
  .object({
    text: z
      .string()
      .max(BASE_PROMPT_MAX * 2)
      // Stored inside the tenant's settings (jsonb), which refuses NUL and lone surrogates with a 500.
      .refine((t) => !t.includes("\u0000"), "Must not contain NUL characters.")
      .refine((t) => !/\p{Cs}/u.test(t), "Must not contain lone surrogate characters.")
      .openapi({
        description: `At most ${BASE_PROMPT_MAX} characters after trimming; empty: back to the platform default`,
      }),
  })
  .strict()
  .openapi("BasePromptUpdate");

export const BaseRevisionParams = TenantIdParam.extend({
  revision_id: z.uuid().openapi({ param: { name: "revision_id", in: "path" } }),
});

export const BaseRevisionListQuery = z.object({
  cursor: z.string().min(1).max(300).optional().openapi({ description: "next_cursor of the page before" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const BasePromptRevisionSchema = z
  .object({
    id: z.uuid(),
    action: z.enum(["update", "reset", "restore"]).openapi({ description: "`reset`: back to the default" }),
    before: z.string().nullable().openapi({ description: "null: the platform default" }),
    after: z.string().nullable().openapi({ description: "null: the platform default" }),
    channel: z.enum(["cabinet", "admin_chat"]),
    author: z
      .object({ id: z.uuid(), email: z.string(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: "null when the author's account is gone" }),
    created_at: z.string().openapi({ example: "2026-11-20T10:00:00.000Z" }),
  })
  .openapi("BasePromptRevision");

export const BasePromptSchema = z
  .object({
    text: z.string().openapi({ description: "The tenant's base prompt, or the platform default" }),
    is_default: z.boolean().openapi({ description: "Whether `text` is the platform default" }),
    updated_at: z.string().nullable().openapi({ description: "The last change; null: never changed" }),
    limits: z.object({ max_chars: z.number().int() }),
  })
  .openapi("BasePrompt");

export const BasePromptChangeSchema = BasePromptSchema.extend({
  revision: z
    .union([BasePromptRevisionSchema, z.null()])
    .openapi({ description: "The new revision; null when the text was already that" }),
}).openapi("BasePromptChange");

export const BasePromptRevisionPageSchema = z
  .object({ items: z.array(BasePromptRevisionSchema), next_cursor: z.string().nullable() })
  .openapi("BasePromptRevisionPage");
