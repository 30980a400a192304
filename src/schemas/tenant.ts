import { z } from "@hono/zod-openapi";

/** What anyone may know about a tenant: enough to render its chat page and widget. */
export const PublicTenantSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    locale: z.enum(["ru", "en"]),
    welcomeText: z.string().nullable(),
    widget: z.object({
      color: z.string().nullable(),
      position: z.enum(["left", "right"]),
      greeting: z.string().nullable(),
    }),
  })
  .openapi("PublicTenant");

export type PublicTenant = z.infer<typeof PublicTenantSchema>;
