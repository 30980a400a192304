import { z } from "@hono/zod-openapi";

/** The visitor's (or owner's) text: 1..4000 characters, not blank; sent to the model verbatim. */
export const MessageText = z
  .string()
  .min(1)
  .max(4000)
  .refine((m) => m.trim().length > 0, "The message is empty.");

/** What the setup bot's chat takes; the public chat adds the visitor id. */
export const AdminChatBody = z
  .object({ message: MessageText, dialog_id: z.uuid().optional() })
  .openapi("AdminChatMessage");

export const ChatBody = AdminChatBody.extend({
  // The tenant's own limit (at most 4000, src/services/platform/quotas.ts) answers longer messages with a
  // localized 422 `message_too_long`; this bound only keeps absurd bodies out.
  message: z
    .string()
    .min(1)
    .max(16_000)
    .refine((m) => m.trim().length > 0, "The message is empty.")
    .openapi({ description: "1..4000 characters (the tenant may set less: 422 `message_too_long`)" }),
  dialog_id: z
    .uuid()
    .optional()
    .openapi({
      description:
        "The dialog to continue. Without it the visitor's latest web dialog continues (the tenant's " +
        "conversation policy may start a new one: `reset_after_hours` after the idle time, `new_on_reload` always)",
    }),
  new_dialog: z.boolean().optional().openapi({
    description: "true: start a new dialog instead of continuing the latest (not with `dialog_id`)",
  }),
  user_id: z.string().trim().min(1).max(128).openapi({ example: "visitor-7f3a" }),
  // Cloudflare Turnstile caps its tokens at 2048 characters.
  turnstile_token: z.string().min(1).max(2048).optional().openapi({
    description:
      "Turnstile token; required on the first message of a dialog when the tenant set Turnstile up",
  }),
})
  .refine((b) => !(b.new_dialog === true && b.dialog_id !== undefined), {
    path: ["new_dialog"],
    message: "Either continue a dialog (dialog_id) or start a new one (new_dialog), not both.",
  })
  .openapi("ChatMessage");

export const ChatReply = z
  .object({
    reply: z.string(),
    dialog_id: z.uuid(),
    message_id: z.uuid(),
    status: z.string(),
    commands: z.array(
      z.object({ name: z.string(), ok: z.boolean(), result: z.string(), data: z.unknown().optional() }),
    ),
  })
  .openapi("ChatReply");

export const StopBody = z.object({ user_id: z.string().trim().min(1).max(128) }).openapi("ChatStop");

export const ChatParams = z.object({
  tenant_id: z.uuid().openapi({ param: { name: "tenant_id", in: "path" } }),
});
export const DialogParams = ChatParams.extend({
  dialog_id: z.uuid().openapi({ param: { name: "dialog_id", in: "path" } }),
});

export const SSE_DESCRIPTION =
  "text/event-stream: `meta` {dialog_id, message_id}, `thinking` {} once if the model reasons first (never its text), `token` {content}…, `command` {name, ok, result, data?}, then `done` {dialog_id, message_id, status, usage} or `error` {code, message, error} (`error` = the human message), and last an unnamed `data: [DONE]` line (the original backend's stream is a subset: a client reading only `data:` lines, `content`, `error` and `[DONE]` works unchanged); `: ping` comments while idle. While a human operator holds the dialog the message is stored and the model is not called: `meta` then `done` with status `taken_over` and no tokens (the operator's replies come over `GET …/chat/{dialog_id}/events`).";

/** Opening the setup chat: the greeting's language (absent: the tenant's locale). */
export const AdminChatStartBody = z
  .object({ locale: z.enum(["ru", "en"]).optional() })
  .openapi("AdminChatStart");
export const AdminChatOpened = z
  .object({
    dialog_id: z.uuid(),
    message: z.object({
      id: z.uuid(),
      role: z.literal("assistant"),
      content: z.string(),
      created_at: z.string(),
    }),
  })
  .openapi("AdminChatOpened");
