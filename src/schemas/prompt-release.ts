/** Shapes of draft, sandbox and publish (`…/me/prompt`, `…/me/prompt/releases`, `…/me/prompt/welcome`). */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";
import { MessageText } from "./chat.ts";
import { SANDBOX_HISTORY_MAX, WELCOME_TEXT_MAX } from "./limits.ts";

const Chunk = z.object({
  id: z.string(),
  position: z.number().int(),
  question: z.string(),
  text: z.string(),
});

const stateShape = {
  base_prompt: z.string().openapi({ description: "The base prompt in effect (the default when not own)" }),
  is_default_base: z.boolean(),
  welcome_text: z.string().nullable(),
  starters: z.array(z.string()),
  chunks: z.array(Chunk),
  prompt: z.string().openapi({ description: "The assembled system prompt the visitor bot gets" }),
};

export const PromptStateSchema = z.object(stateShape).openapi("PromptState");

const Author = z.object({ id: z.string(), email: z.string() }).nullable();

const releaseShape = {
  ...stateShape,
  version: z.number().int(),
  published_at: z.string(),
  published_by: Author,
  restored_from: z.number().int().nullable(),
};

export const ReleaseSchema = z.object(releaseShape).openapi("PromptRelease");

export const PromptDraftSchema = z
  .object({
    draft: PromptStateSchema,
    // Inline, not the PromptRelease reference: a nullable reference loses its null in the document.
    published: z.object(releaseShape).nullable().openapi({ description: "null: nothing published yet" }),
    has_changes: z.boolean(),
    changes: z.object({
      base_prompt: z.boolean(),
      welcome_text: z.boolean(),
      starters: z.boolean(),
      chunks_added: z.number().int(),
      chunks_removed: z.number().int(),
      chunks_changed: z.number().int(),
      chunks_moved: z.number().int(),
    }),
    diff: z
      .array(z.object({ op: z.enum(["same", "added", "removed"]), text: z.string() }))
      .openapi({ description: "Line diff of the assembled prompts, published -> draft" }),
    diff_exact: z.boolean(),
  })
  .openapi("PromptDraft");

export const ReleaseListSchema = z
  .object({
    items: z.array(
      z.object({
        version: z.number().int(),
        published_at: z.string(),
        published_by: Author,
        restored_from: z.number().int().nullable(),
        chunk_count: z.number().int(),
        live: z.boolean(),
      }),
    ),
  })
  .openapi("PromptReleaseList");

export const ReleaseParams = TenantIdParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .openapi({ param: { name: "version", in: "path" }, example: 3 }),
});

export const RestoreReleaseBody = z
  .object({ publish: z.boolean().optional().openapi({ description: "Make it live at once" }) })
  .strict()
  .openapi("PromptReleaseRestore");

export const WelcomeBody = z
  .object({
    welcome_text: z
      .string()
      .max(WELCOME_TEXT_MAX)
      // Stored inside the tenant's settings (jsonb), which refuses NUL and lone surrogates.
      .refine((t) => !t.includes("\u0000"), "Must not contain NUL characters.")
      .refine((t) => !/\p{Cs}/u.test(t), "Must not contain lone surrogate characters.")
      .nullable()
      .openapi({ description: `Up to ${WELCOME_TEXT_MAX} characters; empty or null removes it` }),
  })
  .strict()
  .openapi("WelcomeTextUpdate");

export const WelcomeSchema = z
  .object({ welcome_text: z.string().nullable(), limits: z.object({ max_chars: z.number().int() }) })
  .openapi("WelcomeText");

export const SandboxChatBody = z
  .object({
    message: MessageText,
    history: z
      .array(z.object({ role: z.enum(["user", "assistant"]), content: z.string().max(16_000) }).strict())
      .max(SANDBOX_HISTORY_MAX)
      .optional()
      .openapi({ description: "The sandbox conversation so far, oldest first (nothing is stored)" }),
  })
  .strict()
  .openapi("SandboxChat");
