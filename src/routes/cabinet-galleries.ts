/** The owner's galleries: groups (JSON) and their images (uploads to R2). */
import { createRoute, z } from "@hono/zod-openapi";
import { frontendBaseUrl } from "../config.ts";
import { AppError } from "../errors.ts";
import { readUpload } from "../lib/upload.ts";
import { requireAuth } from "../middleware/auth/index.ts";
import { TenantIdParam } from "../schemas/accounts.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  GalleryBody,
  GalleryPatchBody,
  GallerySchema,
  GroupParams,
  ImageParams,
  ImageSchema,
  ImageUploadQuery,
  uploadBody,
} from "../schemas/uploads.ts";
import {
  addImage,
  createGallery,
  deleteGallery,
  deleteImage,
  getGallery,
  listGalleries,
  updateGallery,
} from "../services/knowledge/galleries.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const security = [{ bearer: [] }];
const tags = ["galleries"];
const base = "/tenants/{tenant_id}/me/galleries";

const listRoute = createRoute({
  method: "get",
  path: base,
  summary: "Galleries in their order (position), with their images",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: TenantIdParam },
  responses: {
    200: ok("Galleries with their images", z.object({ items: z.array(GallerySchema) })),
    ...errorResponses(401, 403),
  },
});
const createGalleryRoute = createRoute({
  method: "post",
  path: base,
  summary: "Make a gallery",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: TenantIdParam, body: { ...json(GalleryBody), required: true } },
  responses: { 201: ok("Created", GallerySchema), ...errorResponses(400, 401, 403, 422) },
});
const getRoute = createRoute({
  method: "get",
  path: `${base}/{group_id}`,
  summary: "One gallery with its images",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: GroupParams },
  responses: { 200: ok("The gallery", GallerySchema), ...errorResponses(401, 403, 404) },
});
const patchRoute = createRoute({
  method: "patch",
  path: `${base}/{group_id}`,
  summary: "Change a gallery's title, description or position",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: GroupParams, body: { ...json(GalleryPatchBody), required: true } },
  responses: { 200: ok("Updated", GallerySchema), ...errorResponses(400, 401, 403, 404, 422) },
});
const deleteRoute = createRoute({
  method: "delete",
  path: `${base}/{group_id}`,
  tags,
  security,
  summary: "Delete a gallery with all its images",
  middleware: [requireAuth("owner")] as const,
  request: { params: GroupParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
});
const uploadRoute = createRoute({
  method: "post",
  path: `${base}/{group_id}/images`,
  tags,
  security,
  summary: "Add an image (PNG, JPEG, GIF or WEBP, decided from the bytes); optional ?caption=",
  middleware: [requireAuth("owner")] as const,
  request: { params: GroupParams, query: ImageUploadQuery, body: uploadBody },
  responses: { 201: ok("Stored", ImageSchema), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
});
const deleteImageRoute = createRoute({
  method: "delete",
  path: `${base}/{group_id}/images/{image_id}`,
  summary: "Delete an image of a gallery",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: ImageParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
});

export const cabinetGalleryRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const items = await listGalleries(c.var.db(), c.var.auth.tenantId, frontendBaseUrl(c.env, c.req.url));
    return c.json({ items }, 200);
  })
  .openapi(createGalleryRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const baseUrl = frontendBaseUrl(c.env, c.req.url);
    return c.json(await createGallery(c.var.db(), tenantId, c.req.valid("json"), baseUrl), 201);
  })
  .openapi(getRoute, async (c) => {
    const { group_id } = c.req.valid("param");
    const gallery = await getGallery(
      c.var.db(),
      c.var.auth.tenantId,
      group_id,
      frontendBaseUrl(c.env, c.req.url),
    );
    if (!gallery) throw new AppError("not_found", "No such gallery.");
    return c.json(gallery, 200);
  })
  .openapi(patchRoute, async (c) => {
    const { group_id } = c.req.valid("param");
    const baseUrl = frontendBaseUrl(c.env, c.req.url);
    return c.json(
      await updateGallery(c.var.db(), c.var.auth.tenantId, group_id, c.req.valid("json"), baseUrl),
      200,
    );
  })
  .openapi(deleteRoute, async (c) => {
    await deleteGallery(c.var.db(), c.env.FILES, c.var.auth.tenantId, c.req.valid("param").group_id);
    return c.body(null, 204);
  })
  .openapi(uploadRoute, async (c) => {
    const { group_id } = c.req.valid("param");
    const { name, caption } = c.req.valid("query");
    const upload = await readUpload(c.req.raw, c.env, name);
    const baseUrl = frontendBaseUrl(c.env, c.req.url);
    const db = c.var.db();
    return c.json(
      await addImage(db, c.env.FILES, c.var.auth.tenantId, group_id, upload, caption, baseUrl),
      201,
    );
  })
  .openapi(deleteImageRoute, async (c) => {
    const { group_id, image_id } = c.req.valid("param");
    await deleteImage(c.var.db(), c.env.FILES, c.var.auth.tenantId, group_id, image_id);
    return c.body(null, 204);
  });
