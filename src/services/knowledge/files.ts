/**
 * The owner's files: bytes in R2 under `t/{tenant_id}/files/{file_id}`, metadata in Postgres. Every
 * query filters by tenant, and every R2 key is checked to carry the tenant's prefix before it is read,
 * so a file of one tenant can never be reached through another.
 */
import type { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  exactTimestamp,
  type KeysetCursor,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { files } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../lib/log.ts";
import type { Upload } from "../../lib/upload.ts";
import type { FileSchema } from "../../schemas/uploads.ts";

/** A file as the API shows it. */
export type FileInfo = z.infer<typeof FileSchema>;

/** One page of a newest-first list. */
export type Page<T> = KeysetPage<T>;

/** A byte range to serve: `null` for the whole object, or 416 when it cannot be satisfied. */
export type RangeChoice = { offset: number; length: number } | null | "unsatisfiable";

/** What a download answers; the route turns it into a Response. */
export type Download =
  | { status: 200 | 206; file: FileInfo; etag: string; body: ReadableStream; range: RangeChoice }
  | { status: 304; file: FileInfo; etag: string }
  | { status: 416; file: FileInfo };

/** Throws (and logs) unless the R2 key lives under the tenant's prefix. */
export function assertTenantKey(key: string, tenantId: string): void {
  if (!key.startsWith(`t/${tenantId}/`)) {
    log("error", "R2 key outside the tenant prefix", { tenantId, key });
    throw new AppError("not_found", "No such file.");
  }
}

/** Writes an upload to R2; an interrupted body (fewer bytes than announced) answers 400. */
export async function putUpload(bucket: R2Bucket, key: string, upload: Upload, meta: Record<string, string>) {
  try {
    await bucket.put(key, upload.body, {
      httpMetadata: { contentType: upload.contentType },
      customMetadata: meta,
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("bad_request", "The upload ended before all its bytes arrived.");
  }
}

type FileRow = typeof files.$inferSelect;
const toInfo = (r: FileRow): FileInfo => ({
  id: r.id,
  name: r.name,
  content_type: r.contentType,
  size: r.size,
  created_at: r.createdAt.toISOString(),
});

/** Stores an upload (any type; the type recorded is the sniffed one). */
export async function storeFile(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  userId: string,
  upload: Upload,
): Promise<FileInfo> {
  const id = crypto.randomUUID();
  const key = `t/${tenantId}/files/${id}`;
  await putUpload(bucket, key, upload, { tenant_id: tenantId, kind: "file" });
  try {
    const [row] = await db
      .insert(files)
      .values({
        id,
        tenantId,
        uploadedBy: userId,
        name: upload.name,
        contentType: upload.contentType,
        size: upload.size,
        r2Key: key,
      })
      .returning();
    return toInfo(row as FileRow);
  } catch (err) {
    await bucket.delete(key).catch(() => {});
    throw err;
  }
}

/** One page of the tenant's files, newest first. */
export async function listFiles(
  db: Database,
  tenantId: string,
  page: { limit: number; cursor?: KeysetCursor | undefined },
): Promise<Page<FileInfo>> {
  const rows = await db
    .select({ row: files, exact: exactTimestamp(files.createdAt) })
    .from(files)
    .where(
      and(
        eq(files.tenantId, tenantId),
        page.cursor ? olderThan(files.createdAt, files.id, page.cursor) : undefined,
      ),
    )
    .orderBy(...newestFirst(files.createdAt, files.id))
    .limit(page.limit + 1);
  return keysetPage(
    rows,
    page.limit,
    (r) => ({ at: r.exact, id: r.row.id }),
    (r) => toInfo(r.row),
  );
}

async function findFile(db: Database, tenantId: string, fileId: string): Promise<FileRow> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.id, fileId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such file.");
  assertTenantKey(row.r2Key, tenantId);
  return row;
}

/**
 * Parses a Range header against a size: `bytes=a-b`, `bytes=a-`, `bytes=-n`. Another unit or several
 * ranges are ignored (the whole object is served, as RFC 9110 allows); a malformed or unsatisfiable
 * byte range is "unsatisfiable" (416).
 */
export function parseRange(header: string | undefined, size: number): RangeChoice {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return null;
  const value = (m[1] ?? "").trim();
  if (value.includes(",")) return null;
  const spec = /^(\d*)-(\d*)$/.exec(value);
  if (!spec || (spec[1] === "" && spec[2] === "")) return "unsatisfiable";
  if (spec[1] === "") {
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(spec[1]);
  const end = spec[2] === "" ? size - 1 : Math.min(Number(spec[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/** Reads a file for download, honouring Range and If-None-Match. */
export async function downloadFile(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  fileId: string,
  headers: { range?: string | undefined; ifNoneMatch?: string | undefined },
): Promise<Download> {
  const row = await findFile(db, tenantId, fileId);
  const file = toInfo(row);
  const range = parseRange(headers.range, row.size);
  if (range === "unsatisfiable") return { status: 416, file };
  const object = await readObject(bucket, row.r2Key, { range, ifNoneMatch: headers.ifNoneMatch });
  if (!object) throw new AppError("not_found", "The file's content is missing.");
  if (!object.body) return { status: 304, file, etag: object.etag };
  return { status: range ? 206 : 200, file, etag: object.etag, body: object.body, range };
}

/**
 * Reads an R2 object (or a byte range of it). When If-None-Match matches its ETag, only the ETag comes
 * back (body null, for a 304); null when the object is missing.
 */
export async function readObject(
  bucket: R2Bucket,
  key: string,
  opts: { range?: { offset: number; length: number } | null; ifNoneMatch?: string | undefined },
): Promise<{ etag: string; body: ReadableStream | null } | null> {
  const onlyIf = opts.ifNoneMatch ? new Headers({ "if-none-match": opts.ifNoneMatch }) : undefined;
  const object: R2Object | R2ObjectBody | null = await bucket.get(key, {
    ...(opts.range ? { range: opts.range } : {}),
    ...(onlyIf ? { onlyIf } : {}),
  });
  if (!object) return null;
  return { etag: object.httpEtag, body: "body" in object ? (object as R2ObjectBody).body : null };
}

/** Deletes the row and the R2 object. */
export async function deleteFile(db: Database, bucket: R2Bucket, tenantId: string, fileId: string) {
  const [row] = await db
    .delete(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.id, fileId)))
    .returning({ key: files.r2Key });
  if (!row) throw new AppError("not_found", "No such file.");
  assertTenantKey(row.key, tenantId);
  await bucket.delete(row.key);
}
