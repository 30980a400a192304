/** Request and response shapes of the owner's files, galleries and documents (issue 5, parts 5-7). */
import { z } from "@hono/zod-openapi";
import { type KeysetCursor, parseCursor } from "../db/keyset.ts";
import { TenantIdParam } from "./accounts.ts";

const pathId = (name: string) => z.uuid().openapi({ param: { name, in: "path" } });

export const FileParams = TenantIdParam.extend({ file_id: pathId("file_id") });
export const GroupParams = TenantIdParam.extend({ group_id: pathId("group_id") });
export const ImageParams = GroupParams.extend({ image_id: pathId("image_id") });
export const DocumentParams = TenantIdParam.extend({ document_id: pathId("document_id") });
/** Public image URLs answer 404 (not 422) for anything that is not an image, so the ids are plain text. */
export const PublicImageParams = z.object({
  tenant_id: z
    .string()
    .max(64)
    .openapi({ param: { name: "tenant_id", in: "path" } }),
  image_id: z
    .string()
    .max(64)
    .openapi({ param: { name: "image_id", in: "path" } }),
});

/** Cursor pagination, newest first: pass `next_cursor` of one page as `cursor` of the next (src/db/keyset.ts). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(200)
    .optional()
    .transform((value, ctx): KeysetCursor | undefined => {
      if (value === undefined) return undefined;
      const cursor = parseCursor(value);
      if (cursor) return cursor;
      ctx.addIssue({ code: "custom", message: "Not a cursor of this list." });
      return z.NEVER;
    }),
});

/** Text Postgres can store: a NUL character would fail the insert (a 500) instead of a 422. */
const text = (max: number, min = 0) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !s.includes("\u0000"), "Must not contain NUL characters.");

const FileName = z.string().max(255).optional().openapi({ description: "File name for a raw body upload" });
export const UploadQuery = z.object({ name: FileName });
export const ImageUploadQuery = z.object({ name: FileName, caption: text(500).optional() });
export const DocumentUploadQuery = z.object({
  name: FileName,
  title: text(200).optional(),
  review: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => v === "true" || v === "1")
    .openapi({
      description:
        "true: keep the document as a `draft` (not searchable) until its text is reviewed " +
        "(PUT …/text or POST …/publish); absent or false: index at once",
    }),
});

/**
 * The OpenAPI description of an upload body. A plain schema object (not zod) on purpose: zod-openapi
 * would otherwise parse the multipart body itself, in memory and without the upload cap.
 */
export const uploadBody = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object" as const,
        properties: { file: { type: "string" as const, format: "binary" } },
      },
    },
    "application/octet-stream": { schema: { type: "string" as const, format: "binary" } },
  },
  description: "A `file` form field, or the raw bytes with their Content-Type and `?name=`.",
};

export const FileSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    created_at: z.string(),
  })
  .openapi("File");
export const FilePage = z.object({ items: z.array(FileSchema), next_cursor: z.string().nullable() });

export const GalleryBody = z
  .object({
    title: text(200, 1),
    description: text(2000).nullable().optional(),
  })
  .strict()
  .openapi("GalleryCreate");
export const GalleryPatchBody = z
  .object({
    title: text(200, 1).optional(),
    description: text(2000).nullable().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .openapi("GalleryPatch");

export const ImageSchema = z
  .object({
    id: z.uuid(),
    group_id: z.uuid(),
    name: z.string(),
    caption: z.string().nullable(),
    content_type: z.string(),
    size: z.number().int(),
    url: z.string(),
    created_at: z.string(),
  })
  .openapi("GalleryImage");
export const GallerySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    image_count: z.number().int(),
    images: z.array(ImageSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Gallery");

export const DocumentSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    source_name: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    status: z.enum(["draft", "ready"]).openapi({
      description: "`draft`: uploaded for review, not searchable until its text is saved or published",
    }),
    has_original: z.boolean().openapi({ description: "The original upload can be downloaded" }),
    text_edited_at: z.string().nullable().openapi({ description: "When the owner last corrected the text" }),
    passage_count: z.number().int(),
    created_at: z.string(),
  })
  .openapi("Document");
export const DocumentDetailSchema = DocumentSchema.extend({ text: z.string() }).openapi("DocumentDetail");
/** Longest document text the owner may save: the JSON body cap (256 KiB) holds it even in Cyrillic. */
export const DOCUMENT_TEXT_MAX = 100_000;
export const DocumentTextBody = z
  .object({ text: text(DOCUMENT_TEXT_MAX, 1) })
  .openapi("DocumentTextBody", { description: "The corrected text; saving it indexes the document" });
export const DocumentTextSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["draft", "ready"]),
    text: z.string(),
    text_edited_at: z.string().nullable(),
    max_length: z.number().int().openapi({ description: "Longest text PUT …/text accepts" }),
  })
  .openapi("DocumentText");
export const DocumentPage = z.object({ items: z.array(DocumentSchema), next_cursor: z.string().nullable() });

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const SearchHitSchema = z
  .object({ document_id: z.uuid(), title: z.string(), snippet: z.string(), rank: z.number() })
  .openapi("SearchHit");
