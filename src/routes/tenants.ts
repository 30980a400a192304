import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, SlugSchema } from "../schemas/common.ts";
import { PublicTenantSchema } from "../schemas/tenant.ts";
import { getTenantBySlug } from "../services/accounts/tenants.ts";
import { createRouter } from "./router.ts";

const bySlug = createRoute({
  method: "get",
  path: "/tenants/by-slug/{slug}",
  security: [],
  tags: ["tenants"],
  summary: "Public information about a tenant, by slug",
  request: { params: z.object({ slug: SlugSchema }) },
  responses: {
    200: { description: "The tenant", content: { "application/json": { schema: PublicTenantSchema } } },
    ...errorResponses(404, 422),
  },
});

export const tenantRoutes = createRouter().openapi(bySlug, async (c) => {
  const tenant = await getTenantBySlug(c.var.db(), c.req.valid("param").slug);
  // Public and small: let browsers and the edge keep it briefly so a chat page load stays cheap.
  c.header("Cache-Control", "public, max-age=30, stale-while-revalidate=300");
  return c.json(tenant, 200);
});
