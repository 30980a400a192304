/**
 * Request and response schemas of the cabinet: dialogs, prompt chunks, embed settings, saved items.
 * Lengths count Unicode code points (as Postgres `char_length` does), not UTF-16 units.
 */
import { z } from "@hono/zod-openapi";
import { normalizeOrigin } from "../lib/origin.ts";
import { TenantIdParam } from "./accounts.ts";
import { CHUNK_QUESTION_MAX, CHUNK_TEXT_MAX } from "./limits.ts";
import { DialogTriageQueryShape, fromNotAfterTo } from "./triage.ts";

export { TenantIdParam };

/** Text Postgres can store (no NUL) of at most `max` code points; `min` applies after trimming. */
export function boundedText(max: number, min = 0) {
  return z
    .string()
    .trim()
    .refine((s) => !s.includes("\u0000"), "Must not contain NUL characters.")
    .refine((s) => [...s].length >= min, min > 1 ? `At least ${min} characters.` : "Must not be empty.")
    .refine((s) => [...s].length <= max, `At most ${max} characters.`)
    .openapi({ maxLength: max });
}

const pathId = (name: string) => z.uuid().openapi({ param: { name, in: "path" } });
const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const Cursor = z
  .string()
  .min(1)
  .max(300)
  .optional()
  .openapi({ description: "next_cursor of the page before" });
const Timestamp = z.string().openapi({ example: "2026-11-20T10:00:00.000Z" });

/** A page of a keyset-paginated list, newest first. */
const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

// ---- dialogs ----

const Channel = z.enum(["web", "telegram", "admin"]);

export const DialogParams = TenantIdParam.extend({ dialog_id: pathId("dialog_id") });

export const DialogListQuery = z
  .object({
    cursor: Cursor,
    limit: Limit(100, 20),
    channel: Channel.optional(),
    has_lead: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    q: boundedText(200, 1)
      .optional()
      .openapi({ description: "Text that some message of the dialog contains" }),
    rating: z
      .enum(["up", "down", "any"])
      .optional()
      .openapi({ description: "Only dialogs with an answer the visitor rated so (`any`: rated at all)" }),
    ...DialogTriageQueryShape,
  })
  .superRefine(fromNotAfterTo);

export const DialogMessagesQuery = z.object({
  after_seq: z.coerce.number().int().min(-1).max(2_147_483_647).optional(),
  limit: Limit(200, 50),
});

export const DialogSummarySchema = z
  .object({
    id: z.uuid(),
    channel: Channel,
    visitor_id: z.string(),
    user_id: z.uuid().nullable(),
    title: z.string().nullable(),
    last_message_preview: z.string().nullable(),
    message_count: z.number().int(),
    has_lead: z.boolean(),
    last_message_at: Timestamp,
    created_at: Timestamp,
    taken_over_by: z.uuid().nullable().openapi({ description: "The operator holding the dialog (takeover)" }),
    taken_over_at: Timestamp.nullable().openapi({ description: "Set while a human holds the dialog" }),
    unread: z.boolean().openapi({
      description: "A visitor message came after the caller last opened the dialog (or it never did)",
    }),
    archived_at: Timestamp.nullable().openapi({ description: "Set while the dialog is archived" }),
  })
  .openapi("DialogSummary");

export const Rating = z.enum(["up", "down"]);

/** A visitor's rating of an answer (answer feedback), as the visitor's reply and the cabinet carry it. */
export const FeedbackSchema = z
  .object({
    rating: Rating,
    comment: z.string().nullable(),
    updated_at: Timestamp,
  })
  .openapi("AnswerFeedback");

export const MessageSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    role: z.enum(["user", "assistant", "operator"]),
    content: z.string(),
    commands: z.array(z.unknown()),
    status: z.enum(["complete", "partial", "failed", "stopped"]),
    author_id: z.uuid().nullable().openapi({ description: "The cabinet user who wrote an operator reply" }),
    created_at: Timestamp,
    feedback: FeedbackSchema.nullable().openapi({ description: "The visitor's rating of an answer, if any" }),
  })
  .openapi("Message");

export const DialogPageSchema = page(DialogSummarySchema).openapi("DialogPage");
export const DialogDetailSchema = DialogSummarySchema.extend({
  messages: z.array(MessageSchema),
  next_after_seq: z.number().int().nullable().openapi({ description: "after_seq of the next page, or null" }),
}).openapi("DialogDetail");

// ---- prompt chunks ----

export const ChunkParams = TenantIdParam.extend({ chunk_id: pathId("chunk_id") });
const Position = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .openapi({ description: "1-based; clamped to the list" });

export const ChunkSchema = z
  .object({
    id: z.uuid(),
    position: z.number().int(),
    question: z.string(),
    text: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi("PromptChunk");

export const ChunkListSchema = z
  .object({
    items: z.array(ChunkSchema),
    limits: z.object({ question_max: z.number(), text_max: z.number(), chunks_max: z.number() }),
  })
  .openapi("PromptChunkList");

export const ChunkCreateBody = z
  .object({
    question: boundedText(CHUNK_QUESTION_MAX, 1),
    text: boundedText(CHUNK_TEXT_MAX, 1),
    position: Position.optional(),
  })
  .strict()
  .openapi("PromptChunkCreate");

export const ChunkPatchBody = z
  .object({
    question: boundedText(CHUNK_QUESTION_MAX, 1).optional(),
    text: boundedText(CHUNK_TEXT_MAX, 1).optional(),
    position: Position.optional(),
  })
  .strict()
  .refine(
    (b) => Object.values(b).some((v) => v !== undefined),
    "Change at least one of question, text, position.",
  )
  .openapi("PromptChunkPatch");

export const PromptPreviewSchema = z
  .object({ prompt: z.string(), version: z.number().int(), chunk_count: z.number().int() })
  .openapi("PromptPreview");

// ---- embed ----

export const ALLOWED_ORIGINS_MAX = 20;

const Origin = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const origin = normalizeOrigin(value);
    if (origin === null) {
      ctx.addIssue({ code: "custom", message: "Use an origin like https://shop.example (no path)." });
      return z.NEVER;
    }
    return origin;
  })
  .openapi({ type: "string", example: "https://shop.example" });

const WidgetSchema = z.object({
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1a73e8.")
    .transform((s) => s.toLowerCase())
    .optional(),
  position: z.enum(["left", "right"]).optional(),
  greeting: boundedText(200).optional(),
});

/** Turnstile keys are printable ASCII without spaces (`0x4AAAAAAA…`; test keys `1x00…AA`). */
const TurnstileKey = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,}$/, "Not a Turnstile key.")
    .max(max);

const ConversationSchema = z
  .object({
    policy: z.enum(["keep", "reset_after_hours", "new_on_reload"]),
    hours: z.number().int().min(1).max(720).optional().openapi({ description: "reset_after_hours only" }),
  })
  .strict()
  .refine((c) => c.policy !== "reset_after_hours" || c.hours !== undefined, {
    message: "Say after how many hours (1-720) a new conversation starts.",
    path: ["hours"],
  });

const ChatLanguage = z.enum(["auto", "ru", "en"]).openapi({
  description:
    "The chat page's and widget's language: `auto` (default) follows the visitor's browser (ru or en, else the tenant's locale)",
});

export const EmbedSettingsBody = z
  .object({
    allowed_origins: z.array(Origin).max(ALLOWED_ORIGINS_MAX),
    widget: WidgetSchema.strict().optional(),
    protected_embed: z
      .boolean()
      .optional()
      .openapi({ description: "The chat API then needs a widget token from CIP's own embed pages" }),
    turnstile: z
      .object({
        site_key: TurnstileKey(100),
        secret: TurnstileKey(200)
          .optional()
          .openapi({ description: "Write-only; leave out to keep the stored one" }),
        every_messages: z.number().int().min(1).max(1000).nullable().optional().openapi({
          description:
            "Also check every Nth message of a conversation (messages N+1, 2N+1, …); null or absent: the first only",
        }),
      })
      .strict()
      .nullable()
      .optional()
      .openapi({
        description: "Cloudflare Turnstile on a visitor's first message (and every Nth); null removes it",
      }),
    conversation: ConversationSchema.optional(),
    chat_language: ChatLanguage.optional(),
  })
  .strict()
  .openapi("EmbedSettings");

export const EmbedSchema = z
  .object({
    chat_url: z.string(),
    embed_url: z.string(),
    iframe_html: z.string(),
    script_html: z.string(),
    allowed_origins: z.array(z.string()),
    widget: z.object({
      color: z.string().nullable(),
      position: z.enum(["left", "right"]),
      greeting: z.string().nullable(),
    }),
    protected_embed: z.boolean(),
    turnstile: z
      .object({ site_key: z.string(), has_secret: z.boolean(), every_messages: z.number().int().nullable() })
      .nullable(),
    conversation: z.object({
      policy: z.enum(["keep", "reset_after_hours", "new_on_reload"]),
      hours: z.number().int().nullable(),
    }),
    chat_language: ChatLanguage,
  })
  .openapi("Embed");

// ---- saved items ----

const SavedKind = z.enum(["message", "lead", "image", "note"]);
export const SavedParams = TenantIdParam.extend({ item_id: pathId("item_id") });
export const SavedListQuery = z.object({ cursor: Cursor, limit: Limit(100, 20), kind: SavedKind.optional() });

export const SavedItemSchema = z
  .object({
    id: z.uuid(),
    kind: SavedKind,
    ref: z.string().nullable(),
    note: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi("SavedItem");

export const SavedPageSchema = page(SavedItemSchema).openapi("SavedItemPage");

const REFERENCED = new Set(["message", "lead", "image"]);

export const SavedCreateBody = z
  .object({ kind: SavedKind, ref: boundedText(200).optional(), note: boundedText(2000).optional() })
  .strict()
  .superRefine((body, ctx) => {
    if (REFERENCED.has(body.kind) && !z.uuid().safeParse(body.ref).success) {
      ctx.addIssue({ code: "custom", path: ["ref"], message: `A ${body.kind} is named by its id (a UUID).` });
    }
    if (body.kind === "note" && !body.note) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "A note needs its text." });
    }
  })
  .openapi("SavedItemCreate");
