/**
 * Per-tenant limits (docs/operator.md): the longest visitor message and the content quotas. Platform
 * defaults come from the environment (`PLATFORM_QUOTA_*`); an operator overrides them per tenant in
 * `settings.limits`. Quotas are checked where content is created (documents, galleries, images, chunks,
 * stored bytes) and refused with 409 `quota_exceeded`, naming the quota.
 */
import { and, count, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  documents,
  files,
  galleryGroups,
  galleryImages,
  promptChunks,
  type TenantLimits,
  type TenantSettings,
  tenants,
} from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { CHUNKS_PER_TENANT_MAX, MESSAGE_CHARS_MAX, MESSAGE_CHARS_MIN } from "../../schemas/limits.ts";
import { lockQuota } from "./quota-lock.ts";

/** The content quotas, as the API names them. */
export const QUOTA_IDS = ["documents", "galleries", "images_per_gallery", "chunks", "storage_bytes"] as const;
export type QuotaId = (typeof QUOTA_IDS)[number];
export type Quotas = Record<QuotaId, number>;

const KEY: Record<QuotaId, keyof TenantLimits> = {
  documents: "documents",
  galleries: "galleries",
  images_per_gallery: "imagesPerGallery",
  chunks: "chunks",
  storage_bytes: "storageBytes",
};

const DEFAULTS: Quotas = {
  documents: 100,
  galleries: 50,
  images_per_gallery: 100,
  chunks: CHUNKS_PER_TENANT_MAX,
  storage_bytes: 1024 ** 3,
};

type QuotaEnv = Pick<
  Bindings,
  | "PLATFORM_QUOTA_DOCUMENTS"
  | "PLATFORM_QUOTA_GALLERIES"
  | "PLATFORM_QUOTA_IMAGES_PER_GALLERY"
  | "PLATFORM_QUOTA_CHUNKS"
  | "PLATFORM_QUOTA_STORAGE_BYTES"
>;

function whole(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

/** The platform defaults from `PLATFORM_QUOTA_*` (unset or not a whole number: the built-in ones). */
export function platformQuotas(env: QuotaEnv): Quotas {
  return {
    documents: whole(env.PLATFORM_QUOTA_DOCUMENTS, DEFAULTS.documents),
    galleries: whole(env.PLATFORM_QUOTA_GALLERIES, DEFAULTS.galleries),
    images_per_gallery: whole(env.PLATFORM_QUOTA_IMAGES_PER_GALLERY, DEFAULTS.images_per_gallery),
    chunks: whole(env.PLATFORM_QUOTA_CHUNKS, DEFAULTS.chunks),
    storage_bytes: whole(env.PLATFORM_QUOTA_STORAGE_BYTES, DEFAULTS.storage_bytes),
  };
}

/** The quotas in force for a tenant: its own where the operator set one, else the platform's. */
export function quotasFor(settings: TenantSettings, platform: Quotas): Quotas {
  const own = settings.limits ?? {};
  const out = { ...platform };
  for (const id of QUOTA_IDS) {
    const v = own[KEY[id]];
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) out[id] = v;
  }
  return out;
}

/** The longest visitor message the tenant accepts (characters). */
export function maxMessageChars(settings: TenantSettings): number {
  const v = settings.limits?.maxMessageChars;
  return typeof v === "number" && Number.isInteger(v) && v >= MESSAGE_CHARS_MIN && v <= MESSAGE_CHARS_MAX
    ? v
    : MESSAGE_CHARS_MAX;
}

/** The tenant's quotas in force and its message length limit, read from its settings. */
export async function tenantQuotas(
  db: Database,
  tenantId: string,
  platform: Quotas,
): Promise<Quotas & { maxMessageChars: number }> {
  const [row] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return { ...quotasFor(row.settings, platform), maxMessageChars: maxMessageChars(row.settings) };
}

/** How much of each quota the tenant uses (`images_per_gallery`: its fullest gallery). */
export async function quotaUsage(db: Database, tenantId: string): Promise<Quotas> {
  const result = await db.execute<{
    documents: number;
    galleries: number;
    images: number;
    chunks: number;
    bytes: number;
  }>(sql`select
      (select count(*)::int from ${documents} where ${documents.tenantId} = ${tenantId}) as documents,
      (select count(*)::int from ${galleryGroups} where ${galleryGroups.tenantId} = ${tenantId}) as galleries,
      (select coalesce(max(n), 0)::int from (select count(*) as n from ${galleryImages}
         where ${galleryImages.tenantId} = ${tenantId} group by ${galleryImages.groupId}) g) as images,
      (select count(*)::int from ${promptChunks} where ${promptChunks.tenantId} = ${tenantId}) as chunks,
      (${storedBytes(tenantId)}) as bytes`);
  const row = result.rows[0];
  return {
    documents: Number(row?.documents ?? 0),
    galleries: Number(row?.galleries ?? 0),
    images_per_gallery: Number(row?.images ?? 0),
    chunks: Number(row?.chunks ?? 0),
    storage_bytes: Number(row?.bytes ?? 0),
  };
}

/** Bytes a tenant stores: files, gallery images and uploaded documents. */
function storedBytes(tenantId: string) {
  return sql`select (coalesce((select sum(${files.size}) from ${files} where ${files.tenantId} = ${tenantId}), 0)
      + coalesce((select sum(${galleryImages.size}) from ${galleryImages} where ${galleryImages.tenantId} = ${tenantId}), 0)
      + coalesce((select sum(${documents.size}) from ${documents} where ${documents.tenantId} = ${tenantId}), 0))::bigint as bytes`;
}

/** The refusal of a create that would go over `id`. */
export function quotaExceeded(id: QuotaId, limit: number): AppError {
  return new AppError("quota_exceeded", `Quota "${id}" reached: the limit is ${limit}.`, {
    quota: { id, limit },
  });
}

/**
 * Refuses (409 `quota_exceeded`) a create that would put the tenant over a quota: one more of `kind`
 * (a document, a gallery, an image in `galleryId`), and `bytes` more stored. Takes the quotas' locks
 * (quota-lock.ts): the caller's insert must follow in the same transaction, so that concurrent creates
 * of one tenant count one after the other.
 */
export async function enforceQuota(
  db: Database,
  tenantId: string,
  platform: Quotas,
  create: { kind: "documents" | "galleries" | "images"; galleryId?: string; bytes?: number },
): Promise<void> {
  const quotas = await tenantQuotas(db, tenantId, platform);
  await lockQuota(db, tenantId, create.kind === "images" ? "images_per_gallery" : create.kind);
  if (create.kind === "documents") {
    const [r] = await db.select({ n: count() }).from(documents).where(eq(documents.tenantId, tenantId));
    if ((r?.n ?? 0) >= quotas.documents) throw quotaExceeded("documents", quotas.documents);
  } else if (create.kind === "galleries") {
    const [r] = await db
      .select({ n: count() })
      .from(galleryGroups)
      .where(eq(galleryGroups.tenantId, tenantId));
    if ((r?.n ?? 0) >= quotas.galleries) throw quotaExceeded("galleries", quotas.galleries);
  } else if (create.galleryId) {
    const [r] = await db
      .select({ n: count() })
      .from(galleryImages)
      .where(and(eq(galleryImages.tenantId, tenantId), eq(galleryImages.groupId, create.galleryId)));
    if ((r?.n ?? 0) >= quotas.images_per_gallery)
      throw quotaExceeded("images_per_gallery", quotas.images_per_gallery);
  }
  if (create.bytes !== undefined) await enforceStorage(db, tenantId, quotas, create.bytes);
}

/**
 * Refuses an upload of `bytes` that would put the tenant's stored bytes over its quota; holds the
 * tenant's `storage_bytes` lock until the transaction ends (the caller's insert follows in it).
 */
export async function enforceStorage(db: Database, tenantId: string, quotas: Quotas, bytes: number) {
  await lockQuota(db, tenantId, "storage_bytes");
  const result = await db.execute<{ bytes: number }>(sql`${storedBytes(tenantId)}`);
  const stored = Number(result.rows[0]?.bytes ?? 0);
  if (stored + bytes > quotas.storage_bytes) throw quotaExceeded("storage_bytes", quotas.storage_bytes);
}
