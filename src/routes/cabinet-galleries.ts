/** The owner's galleries: groups (JSON) and their images (uploads to R2). */
import { z } from "@hono/zod-openapi";
import { frontendBaseUrl } from "../config.ts";
import { AppError } from "../errors.ts";
import { readUpload } from "../lib/upload.ts";
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
import { enforceQuota, platformQuotas } from "../services/platform/quotas.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const tags = ["galleries"];
const base = "/tenants/{tenant_id}/me/galleries";

const listRoute = ownerRoute({
  method: "get",
  path: base,
  summary: "Galleries in their order (position), with their images",
  tags,
  request: { params: TenantIdParam },
  responses: {
    200: ok("Galleries with their images", z.object({ items: z.array(GallerySchema) })),
  },
});
const createGalleryRoute = ownerRoute({
  method: "post",
  path: base,
  summary: "Make a gallery",
  tags,
  request: { params: TenantIdParam, body: { ...json(GalleryBody), required: true } },
  responses: { 201: ok("Created", GallerySchema), ...errorResponses(400, 409, 422) },
});
const getRoute = ownerRoute({
  method: "get",
  path: `${base}/{group_id}`,
  summary: "One gallery with its images",
  tags,
  request: { params: GroupParams },
  responses: { 200: ok("The gallery", GallerySchema) },
});
const patchRoute = ownerRoute({
  method: "patch",
  path: `${base}/{group_id}`,
  summary: "Change a gallery's title, description or position",
  tags,
  request: { params: GroupParams, body: { ...json(GalleryPatchBody), required: true } },
  responses: { 200: ok("Updated", GallerySchema), ...errorResponses(400, 422) },
});
const deleteRoute = ownerRoute({
  method: "delete",
  path: `${base}/{group_id}`,
  tags,
  summary: "Delete a gallery with all its images",
  request: { params: GroupParams },
  responses: { 204: { description: "Deleted" } },
});
const uploadRoute = ownerRoute({
  method: "post",
  path: `${base}/{group_id}/images`,
  tags,
  summary: "Add an image (PNG, JPEG, GIF or WEBP, decided from the bytes); optional ?caption=",
  request: { params: GroupParams, query: ImageUploadQuery, body: uploadBody },
  responses: {
    201: ok("Stored", ImageSchema),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});
const deleteImageRoute = ownerRoute({
  method: "delete",
  path: `${base}/{group_id}/images/{image_id}`,
  summary: "Delete an image of a gallery",
  tags,
  request: { params: ImageParams },
  responses: { 204: { description: "Deleted" } },
});

export const cabinetGalleryRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const items = await listGalleries(c.var.db(), c.var.auth.tenantId, frontendBaseUrl(c.env, c.req.url));
    return c.json({ items }, 200);
  })
  .openapi(createGalleryRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const baseUrl = frontendBaseUrl(c.env, c.req.url);
    await enforceQuota(c.var.db(), tenantId, platformQuotas(c.env), { kind: "galleries" });
    const created = await createGallery(c.var.db(), tenantId, c.req.valid("json"), baseUrl);
    // The setup chat's prompt lists the galleries (tenant-object.ts): it must see the change.
    await invalidatePromptCache(c, tenantId);
    return c.json(created, 201);
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
    const { tenantId } = c.var.auth;
    const updated = await updateGallery(c.var.db(), tenantId, group_id, c.req.valid("json"), baseUrl);
    await invalidatePromptCache(c, tenantId);
    return c.json(updated, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { tenantId } = c.var.auth;
    await deleteGallery(c.var.db(), c.env.FILES, tenantId, c.req.valid("param").group_id);
    await invalidatePromptCache(c, tenantId);
    return c.body(null, 204);
  })
  .openapi(uploadRoute, async (c) => {
    const { group_id } = c.req.valid("param");
    const { name, caption } = c.req.valid("query");
    const upload = await readUpload(c.req.raw, c.env, name);
    const baseUrl = frontendBaseUrl(c.env, c.req.url);
    const db = c.var.db();
    await enforceQuota(db, c.var.auth.tenantId, platformQuotas(c.env), {
      kind: "images",
      galleryId: group_id,
      bytes: upload.size,
    });
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
