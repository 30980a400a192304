import { z } from "@hono/zod-openapi";

/** What anyone may know about a tenant: enough to render its chat page and widget. */
export const PublicTenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    locale: z.enum(["ru", "en"]),
    welcomeText: z.string().nullable(),
    starters: z
      .array(z.string())
      .openapi({ description: "Questions shown as clickable chips before the first message (up to 6)" }),
    chatLanguage: z.enum(["auto", "ru", "en"]).openapi({
      description: "The chat UI's language: `auto` follows the visitor's browser (ru or en, else `locale`)",
    }),
    widget: z.object({
      color: z.string().nullable(),
      position: z.enum(["left", "right"]),
      greeting: z.string().nullable(),
    }),
    /** How the chat pages behave for this tenant (protected embed, Turnstile, conversation policy). */
    chat: z.object({
      protected: z.boolean().openapi({ description: "The chat API needs a widget token" }),
      turnstileSiteKey: z.string().nullable().openapi({ description: "Turnstile on a new conversation" }),
      conversation: z.object({
        policy: z.enum(["keep", "reset_after_hours", "new_on_reload"]),
        hours: z.number().int().nullable(),
      }),
    }),
  })
  .openapi("PublicTenant");

export type PublicTenant = z.infer<typeof PublicTenantSchema>;
