/**
 * The public widget config for `public/widget.js` on other sites: the tenant's public info (name, locale,
 * widget colour/position/greeting). Readable cross-origin (`Access-Control-Allow-Origin: *`, no
 * credentials: the data is public) and cacheable for 30 s by browsers and shared caches, so a page view of
 * an embedding site rarely reaches the database; the owner's previews bypass caches (`?preview=`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, SlugSchema } from "../schemas/common.ts";
import { PublicTenantSchema } from "../schemas/tenant.ts";
import { getTenantBySlug } from "../services/accounts/tenants.ts";
import { createRouter } from "./router.ts";

/** Cache lifetime of the widget config (seconds): how long a look change may take to reach visitors. */
export const WIDGET_CONFIG_MAX_AGE = 30;

const widgetConfig = createRoute({
  method: "get",
  path: "/tenants/by-slug/{slug}/widget",
  security: [],
  tags: ["tenants"],
  summary: "Public widget config of a tenant (CORS: any origin; cached 30 s)",
  request: { params: z.object({ slug: SlugSchema }) },
  responses: {
    200: { description: "The tenant", content: { "application/json": { schema: PublicTenantSchema } } },
    ...errorResponses(404, 422),
  },
});

export const widgetConfigRoutes = createRouter();

// Set after the handler (or the error handler) ran, so 404s are readable cross-origin too.
widgetConfigRoutes.use("/tenants/by-slug/:slug/widget", async (c, next) => {
  await next();
  c.res.headers.set("Access-Control-Allow-Origin", "*");
  c.res.headers.set("Timing-Allow-Origin", "*");
});

widgetConfigRoutes.openapi(widgetConfig, async (c) => {
  const tenant = await getTenantBySlug(c.var.db(), c.req.valid("param").slug);
  c.header(
    "Cache-Control",
    `public, max-age=${WIDGET_CONFIG_MAX_AGE}, s-maxage=${WIDGET_CONFIG_MAX_AGE}, stale-while-revalidate=300`,
  );
  return c.json(tenant, 200);
});
