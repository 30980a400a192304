/**
 * Public gallery image URLs, no sign-in: `/api/v1/public/images/{tenant_id}/{image_id}`. An image id
 * never changes content, so the answer may be cached by browsers and Cloudflare for a year.
 */
import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../schemas/common.ts";
import { PublicImageParams } from "../schemas/uploads.ts";
import { openPublicImage } from "../services/knowledge/galleries.ts";
import { createRouter } from "./router.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";

const imageRoute = createRoute({
  method: "get",
  path: "/public/images/{tenant_id}/{image_id}",
  security: [],
  tags: ["public"],
  summary: "A gallery image (cacheable for good; 404 unless the tenant's gallery holds it)",
  request: { params: PublicImageParams },
  responses: {
    200: {
      description: "The image",
      content: { "image/*": { schema: { type: "string", format: "binary" } } },
    },
    304: { description: "Not modified" },
    ...errorResponses(404),
  },
});

export const publicImageRoutes = createRouter().openapi(imageRoute, async (c) => {
  const { tenant_id, image_id } = c.req.valid("param");
  const image = await openPublicImage(
    c.var.db(),
    c.env.FILES,
    tenant_id,
    image_id,
    c.req.header("if-none-match"),
  );
  const headers = new Headers({
    "Cache-Control": IMMUTABLE,
    ETag: image.etag,
    "X-Content-Type-Options": "nosniff",
  });
  if (image.status === 304) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", image.contentType);
  headers.set("Content-Length", String(image.size));
  return new Response(image.body, { status: 200, headers });
});
