/** Request and response schemas of the tenant's model settings (`…/me/model`). */
import { z } from "@hono/zod-openapi";
import { MODEL_LIMITS } from "../chat/model-settings.ts";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

const Effort = z.enum(MODEL_LIMITS.efforts);

const ChannelBody = z
  .object({
    model: z
      .string()
      .regex(MODEL_LIMITS.modelName, "Use the provider's model name: letters, digits and . _ : / -.")
      .nullable()
      .optional()
      .openapi({ description: "The provider's model name; null: the platform's", example: "deepseek-flash" }),
    thinking: z
      .boolean()
      .nullable()
      .optional()
      .openapi({ description: "Let the model think before answering; null: the platform default" }),
    reasoning_effort: Effort.nullable()
      .optional()
      .openapi({ description: "How hard the model thinks (only while thinking); null: the provider's" }),
    temperature: z
      .number()
      .min(MODEL_LIMITS.temperature.min)
      .max(MODEL_LIMITS.temperature.max)
      .nullable()
      .optional()
      .openapi({ description: "Sampling temperature (not sent while thinking); null: the platform default" }),
    max_tokens: z
      .number()
      .int()
      .min(MODEL_LIMITS.maxTokens.min)
      .max(MODEL_LIMITS.maxTokens.max)
      .nullable()
      .optional()
      .openapi({ description: "Longest answer in tokens; null: the platform default" }),
  })
  .strict()
  .openapi("ModelChannelSettingsInput");

export const ModelSettingsBody = z
  .object({
    chat: ChannelBody.nullable()
      .optional()
      .openapi({ description: "Web and Telegram visitors; left out or null: every field the default" }),
    admin: ChannelBody.nullable().optional().openapi({ description: "The owner's setup chat" }),
  })
  .strict()
  .openapi("ModelSettingsInput");

const ChannelView = z
  .object({
    model: z.string().nullable(),
    thinking: z.boolean().nullable(),
    reasoning_effort: Effort.nullable(),
    temperature: z.number().nullable(),
    max_tokens: z.number().int().nullable(),
  })
  .openapi("ModelChannelSettings", { description: "The tenant's choices; null: the platform default" });

const ChannelDefaults = z
  .object({
    model: z.string(),
    thinking: z.boolean().nullable().openapi({ description: "null: not said (the provider decides)" }),
    reasoning_effort: Effort.nullable().openapi({ description: "null: the provider's default" }),
    temperature: z.number(),
    max_tokens: z.number().int(),
  })
  .openapi("ModelChannelDefaults");

export const ModelSettingsSchema = z
  .object({
    chat: ChannelView,
    admin: ChannelView,
    defaults: z
      .object({
        thinking_mode: z.enum(["disabled", "enabled", "omit"]).openapi({
          description: "DEEPSEEK_THINKING: `omit` means no request says anything about thinking",
        }),
        chat: ChannelDefaults,
        admin: ChannelDefaults,
      })
      .openapi({ description: "What null means: the platform's values" }),
  })
  .openapi("ModelSettings");
