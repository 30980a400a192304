/** Shapes of the prompt history: revisions of prompt chunks, and restoring one. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";
import { ChunkSchema } from "./cabinet.ts";

export { TenantIdParam };

export const RevisionParams = TenantIdParam.extend({
  revision_id: z.uuid().openapi({ param: { name: "revision_id", in: "path" } }),
});

export const RevisionListQuery = z.object({
  chunk_id: z.uuid().optional().openapi({ description: "Only the history of this chunk" }),
  cursor: z.string().min(1).max(300).optional().openapi({ description: "next_cursor of the page before" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/**
 * `schema | null` as `anyOf` (`.nullable()` on a named schema documents `allOf: [$ref, {type: [object,
 * null]}]`, which no null can satisfy).
 */
const nullable = <T extends z.ZodTypeAny>(schema: T, description: string) =>
  z.union([schema, z.null()]).openapi({ description });

const ChunkStateSchema = z
  .object({ position: z.number().int(), question: z.string(), text: z.string() })
  .openapi("PromptChunkState");

export const RevisionSchema = z
  .object({
    id: z.uuid(),
    chunk_id: z.uuid(),
    action: z.enum(["create", "update", "delete", "restore"]),
    before: nullable(ChunkStateSchema, "null for a create (or a restore that re-created the chunk)"),
    after: nullable(ChunkStateSchema, "null for a delete"),
    channel: z.enum(["cabinet", "admin_chat"]),
    author: z
      .object({ id: z.uuid(), email: z.string(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: "null when the author's account is gone" }),
    chunk_exists: z.boolean().openapi({ description: "Whether the chunk exists now" }),
    created_at: z.string().openapi({ example: "2026-11-20T10:00:00.000Z" }),
  })
  .openapi("PromptChunkRevision");

export const RevisionPageSchema = z
  .object({ items: z.array(RevisionSchema), next_cursor: z.string().nullable() })
  .openapi("PromptChunkRevisionPage");

export const RestoreResultSchema = z
  .object({
    chunk: ChunkSchema,
    revision: nullable(
      RevisionSchema,
      "The new `restore` revision; null when the chunk already had that state",
    ),
  })
  .openapi("PromptChunkRestore");
