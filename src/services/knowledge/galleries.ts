/**
 * Gallery groups and their images: bytes in R2 under `t/{tenant_id}/images/{image_id}`, metadata in
 * Postgres. Images are public through `/api/v1/public/images/{tenant_id}/{image_id}`; an image id never
 * changes content, so those URLs are cacheable for good.
 */
import type { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { galleryGroups, galleryImages } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { IMAGE_TYPES, requireType } from "../../lib/sniff.ts";
import type { Upload } from "../../lib/upload.ts";
import { UUID_RE } from "../../lib/uuid.ts";
import type { GallerySchema, ImageSchema } from "../../schemas/uploads.ts";
import { assertTenantKey, putUpload, readObject } from "./files.ts";

/** An image as the API shows it. */
export type Image = z.infer<typeof ImageSchema>;
/** A gallery with its images, as the API shows it. */
export type Gallery = z.infer<typeof GallerySchema>;

/** What a public image URL serves; the route turns it into a Response. */
export type PublicImage =
  | { status: 200; contentType: string; size: number; etag: string; body: ReadableStream }
  | { status: 304; etag: string };

type GroupRow = typeof galleryGroups.$inferSelect;
type ImageRow = typeof galleryImages.$inferSelect;

/** The public URL of an image. */
export const imageUrl = (baseUrl: string, tenantId: string, imageId: string) =>
  `${baseUrl.replace(/\/+$/, "")}/api/v1/public/images/${tenantId}/${imageId}`;

const toImage = (r: ImageRow, baseUrl: string): Image => ({
  id: r.id,
  group_id: r.groupId,
  name: r.name,
  caption: r.caption,
  content_type: r.contentType,
  size: r.size,
  url: imageUrl(baseUrl, r.tenantId, r.id),
  created_at: r.createdAt.toISOString(),
});

async function withImages(db: Database, tenantId: string, groups: GroupRow[], baseUrl: string) {
  const ids = groups.map((g) => g.id);
  const rows = ids.length
    ? await db
        .select()
        .from(galleryImages)
        .where(and(eq(galleryImages.tenantId, tenantId), inArray(galleryImages.groupId, ids)))
        .orderBy(asc(galleryImages.position), asc(galleryImages.createdAt), asc(galleryImages.id))
    : [];
  return groups.map((g): Gallery => {
    const images = rows.filter((r) => r.groupId === g.id).map((r) => toImage(r, baseUrl));
    return {
      id: g.id,
      title: g.title,
      description: g.description,
      position: g.position,
      image_count: images.length,
      images,
      created_at: g.createdAt.toISOString(),
      updated_at: g.updatedAt.toISOString(),
    };
  });
}

/** All the tenant's galleries in display order, each with its images. */
export async function listGalleries(db: Database, tenantId: string, baseUrl: string): Promise<Gallery[]> {
  const groups = await db
    .select()
    .from(galleryGroups)
    .where(eq(galleryGroups.tenantId, tenantId))
    .orderBy(asc(galleryGroups.position), asc(galleryGroups.createdAt), asc(galleryGroups.id));
  return withImages(db, tenantId, groups, baseUrl);
}

/** One gallery with its images, or null when the tenant has no such group. */
export async function getGallery(db: Database, tenantId: string, groupId: string, baseUrl: string) {
  const groups = await db
    .select()
    .from(galleryGroups)
    .where(and(eq(galleryGroups.tenantId, tenantId), eq(galleryGroups.id, groupId)));
  const [gallery] = await withImages(db, tenantId, groups, baseUrl);
  return gallery ?? null;
}

async function requireGallery(db: Database, tenantId: string, groupId: string, baseUrl: string) {
  const gallery = await getGallery(db, tenantId, groupId, baseUrl);
  if (!gallery) throw new AppError("not_found", "No such gallery.");
  return gallery;
}

/** Creates a gallery at the end of the list. */
export async function createGallery(
  db: Database,
  tenantId: string,
  input: { title: string; description?: string | null | undefined },
  baseUrl: string,
): Promise<Gallery> {
  const next = sql<number>`(select coalesce(max(${galleryGroups.position}), -1) + 1 from ${galleryGroups} where ${galleryGroups.tenantId} = ${tenantId})`;
  const [row] = await db
    .insert(galleryGroups)
    .values({ tenantId, title: input.title, description: input.description ?? null, position: next })
    .returning();
  return requireGallery(db, tenantId, (row as GroupRow).id, baseUrl);
}

/** Changes a gallery's title, description or position. */
export async function updateGallery(
  db: Database,
  tenantId: string,
  groupId: string,
  patch: {
    title?: string | undefined;
    description?: string | null | undefined;
    position?: number | undefined;
  },
  baseUrl: string,
): Promise<Gallery> {
  // drizzle leaves out the fields that are undefined, so only what the patch names changes.
  const [row] = await db
    .update(galleryGroups)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(galleryGroups.tenantId, tenantId), eq(galleryGroups.id, groupId)))
    .returning({ id: galleryGroups.id });
  if (!row) throw new AppError("not_found", "No such gallery.");
  return requireGallery(db, tenantId, groupId, baseUrl);
}

/** Deletes a gallery, its image rows (cascade) and their R2 objects. */
export async function deleteGallery(db: Database, bucket: R2Bucket, tenantId: string, groupId: string) {
  const keys = await db
    .select({ key: galleryImages.r2Key })
    .from(galleryImages)
    .where(and(eq(galleryImages.tenantId, tenantId), eq(galleryImages.groupId, groupId)));
  const [row] = await db
    .delete(galleryGroups)
    .where(and(eq(galleryGroups.tenantId, tenantId), eq(galleryGroups.id, groupId)))
    .returning({ id: galleryGroups.id });
  if (!row) throw new AppError("not_found", "No such gallery.");
  const own = keys.map((k) => k.key).filter((k) => k.startsWith(`t/${tenantId}/`));
  for (let i = 0; i < own.length; i += 1000) await bucket.delete(own.slice(i, i + 1000));
}

/** Adds an uploaded image (PNG, JPEG, GIF or WEBP by its bytes, else 415) at the end of a gallery. */
export async function addImage(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  groupId: string,
  upload: Upload,
  caption: string | undefined,
  baseUrl: string,
): Promise<Image> {
  await requireGallery(db, tenantId, groupId, baseUrl);
  requireType(upload.contentType, IMAGE_TYPES, "image");
  const id = crypto.randomUUID();
  const key = `t/${tenantId}/images/${id}`;
  await putUpload(bucket, key, upload, { tenant_id: tenantId, kind: "image" });
  const next = sql<number>`(select coalesce(max(${galleryImages.position}), -1) + 1 from ${galleryImages} where ${galleryImages.groupId} = ${groupId})`;
  try {
    const [row] = await db
      .insert(galleryImages)
      .values({
        id,
        tenantId,
        groupId,
        name: upload.name,
        caption: caption || null,
        contentType: upload.contentType,
        size: upload.size,
        r2Key: key,
        position: next,
      })
      .returning();
    return toImage(row as ImageRow, baseUrl);
  } catch (err) {
    await bucket.delete(key).catch(() => {});
    throw err;
  }
}

/** Removes one image of a gallery (row and R2 object). */
export async function deleteImage(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  groupId: string,
  imageId: string,
) {
  const [row] = await db
    .delete(galleryImages)
    .where(
      and(
        eq(galleryImages.tenantId, tenantId),
        eq(galleryImages.groupId, groupId),
        eq(galleryImages.id, imageId),
      ),
    )
    .returning({ key: galleryImages.r2Key });
  if (!row) throw new AppError("not_found", "No such image.");
  assertTenantKey(row.key, tenantId);
  await bucket.delete(row.key);
}

/** An image for its public URL: only one listed in the tenant's galleries; 404 otherwise. */
export async function openPublicImage(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  imageId: string,
  ifNoneMatch: string | undefined,
): Promise<PublicImage> {
  if (!UUID_RE.test(tenantId) || !UUID_RE.test(imageId)) throw new AppError("not_found", "No such image.");
  const [row] = await db
    .select({ key: galleryImages.r2Key, contentType: galleryImages.contentType, size: galleryImages.size })
    .from(galleryImages)
    .where(and(eq(galleryImages.tenantId, tenantId), eq(galleryImages.id, imageId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such image.");
  assertTenantKey(row.key, tenantId);
  const object = await readObject(bucket, row.key, { ifNoneMatch });
  if (!object) throw new AppError("not_found", "No such image.");
  if (!object.body) return { status: 304, etag: object.etag };
  const { body, etag } = object;
  return { status: 200, contentType: row.contentType, size: row.size, etag, body };
}
