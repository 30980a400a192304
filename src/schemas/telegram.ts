/** Shapes of the Telegram surfaces: the cabinet's bot settings and the incoming Bot API updates. */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

/** What a Bot API token looks like: `<bot id>:<secret>`. */
export const BOT_TOKEN_RE = /^\d{5,12}:[A-Za-z0-9_-]{30,}$/;

export const TelegramConnectBody = z
  .object({
    bot_token: z
      .string()
      .max(200)
      .regex(BOT_TOKEN_RE, "This is not a bot token (expected the form 123456789:AA... from @BotFather)."),
  })
  .openapi("TelegramConnect");

export const TelegramStatusSchema = z
  .object({
    connected: z.boolean(),
    bot_username: z.string().nullable(),
    webhook: z
      .object({
        url: z.string(),
        pending_update_count: z.number().int(),
        last_error_message: z.string().nullable(),
        last_error_date: z.string().nullable().openapi({ description: "ISO 8601" }),
      })
      .nullable()
      .openapi({
        description: "Telegram's getWebhookInfo; null when not connected or Telegram is unreachable",
      }),
    last_update_at: z.string().nullable().openapi({
      description: "When the webhook last received an update (ISO 8601); null before the first one",
    }),
  })
  .openapi("TelegramStatus");

export type TelegramStatus = z.infer<typeof TelegramStatusSchema>;

export const WebhookAck = z.object({ ok: z.boolean() }).openapi("TelegramWebhookAck");

const TelegramChat = z.object({ id: z.number().int(), type: z.string().optional() });

/** A Bot API Message, reduced to what CIP reads; unknown fields are accepted and dropped. */
const TelegramMessage = z.object({
  message_id: z.number().int(),
  chat: TelegramChat,
  text: z.string().optional(),
  from: z.object({ id: z.number().int(), is_bot: z.boolean().optional() }).optional(),
});

/** A Bot API Update (only `message` and `edited_message` are subscribed to). */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessage.optional(),
  edited_message: TelegramMessage.optional(),
});

export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;
export type TelegramMessage = z.infer<typeof TelegramMessage>;

/** Bot API `getMe` result (the fields CIP uses). */
export const BotUserSchema = z.object({ id: z.number().int(), username: z.string() });

/** Bot API `getWebhookInfo` result (the fields CIP uses). */
export const WebhookInfoSchema = z.object({
  url: z.string(),
  pending_update_count: z.number().int().default(0),
  last_error_date: z.number().int().optional(),
  last_error_message: z.string().optional(),
});

/** A gallery as the SHOW_GALLERY command reports it in its `data`. */
export const GalleryCommandData = z.object({
  gallery: z.object({
    title: z.string().optional(),
    images: z.array(
      z.object({ url: z.string(), caption: z.string().nullish(), name: z.string().optional() }),
    ),
  }),
});
