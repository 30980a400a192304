/**
 * The tenant's documents for retrieval: the extracted (or owner-corrected) text in `documents`, its
 * passages in `document_passages` (whose generated `tsv` column holds Russian and English stems). The
 * original upload is kept in R2 (`t/{tenant_id}/documents/{id}`) so it can be downloaded after the text
 * was corrected. A `draft` (uploaded for review) has no passages: visitors' RAG commands never see it
 * until the owner saves or publishes its text (review.ts).
 */
import type { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";
import { exactTimestamp, type KeysetCursor, keysetPage, newestFirst, olderThan } from "../../../db/keyset.ts";
import type { Queryable } from "../../../db/queryable.ts";
import { documentPassages, documents } from "../../../db/schema.ts";
import { AppError } from "../../../errors.ts";
import { DOCUMENT_TYPES, requireType } from "../../../lib/sniff.ts";
import { type Upload, uploadBytes } from "../../../lib/upload.ts";
import type { DocumentDetailSchema, DocumentSchema } from "../../../schemas/uploads.ts";
import type { Page } from "../files.ts";
import { documentTitle, extractDocument } from "./extract.ts";
import { splitPassages } from "./passages.ts";

/** A document as the API lists it. */
export type DocumentInfo = z.infer<typeof DocumentSchema>;
/** A document with its text. */
export type DocumentDetail = z.infer<typeof DocumentDetailSchema>;

const INSERT_BATCH = 200;
/** How many documents the chat's RAG_LIST_DOCUMENTS sees at most. */
export const LIST_ALL_MAX = 200;

const columns = {
  id: documents.id,
  title: documents.title,
  source_name: documents.sourceName,
  content_type: documents.contentType,
  size: documents.size,
  status: documents.status,
  has_original: sql<boolean>`(${documents.r2Key} is not null)`,
  text_edited_at: documents.textEditedAt,
  passage_count: sql<number>`(select count(*)::int from document_passages p where p.tenant_id = documents.tenant_id and p.document_id = documents.id)`,
  createdAt: documents.createdAt,
  exact: exactTimestamp(documents.createdAt),
};

type Row = { createdAt: Date; exact: string; text_edited_at: Date | null } & Omit<
  DocumentInfo,
  "created_at" | "text_edited_at"
>;
const toInfo = ({ createdAt, exact: _exact, text_edited_at, ...rest }: Row): DocumentInfo => ({
  ...rest,
  text_edited_at: text_edited_at?.toISOString() ?? null,
  created_at: createdAt.toISOString(),
});

/** The R2 key of a document's original upload (always under the tenant's prefix). */
export const originalKey = (tenantId: string, documentId: string) => `t/${tenantId}/documents/${documentId}`;

/**
 * Replaces a document's passages with those of `text` (none before: a first indexing). Runs inside the
 * caller's transaction, so a reader sees either the old passages or the new ones.
 */
export async function indexText(tx: Queryable, tenantId: string, documentId: string, text: string) {
  await tx
    .delete(documentPassages)
    .where(and(eq(documentPassages.tenantId, tenantId), eq(documentPassages.documentId, documentId)));
  const passages = splitPassages(text);
  for (let i = 0; i < passages.length; i += INSERT_BATCH) {
    await tx
      .insert(documentPassages)
      .values(
        passages
          .slice(i, i + INSERT_BATCH)
          .map((p, j) => ({ tenantId, documentId, position: i + j, text: p })),
      );
  }
}

/**
 * Extracts an uploaded document (text, markdown, HTML or PDF; else 415), keeps the original in R2, and
 * either indexes it at once (`review: false`, status `ready`) or stores it as a `draft` whose text the
 * owner reviews first (review.ts). Nothing is stored when the file has no text (422).
 */
export async function createDocument(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  upload: Upload,
  title: string | undefined,
  options: { review: boolean } = { review: false },
): Promise<DocumentInfo> {
  requireType(upload.contentType, DOCUMENT_TYPES, "document");
  const bytes = await uploadBytes(upload);
  const extracted = await extractDocument(bytes, upload.contentType);
  const id = crypto.randomUUID();
  const key = originalKey(tenantId, id);
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: upload.contentType },
    customMetadata: { tenant_id: tenantId, kind: "document" },
  });
  try {
    await db.transaction(async (tx) => {
      await tx.insert(documents).values({
        id,
        tenantId,
        title: documentTitle(title, extracted.title, upload.name),
        sourceName: upload.name,
        contentType: upload.contentType,
        size: upload.size,
        text: extracted.text,
        status: options.review ? "draft" : "ready",
        r2Key: key,
      });
      if (!options.review) await indexText(tx, tenantId, id, extracted.text);
    });
  } catch (err) {
    await bucket.delete(key).catch(() => {});
    throw err;
  }
  const created = await getDocument(db, tenantId, id);
  if (!created) throw new AppError("internal_error", "The document vanished after it was stored.");
  const { text: _text, ...info } = created;
  return info;
}

/** One page of the tenant's documents, newest first. */
export async function listDocuments(
  db: Database,
  tenantId: string,
  page: { limit: number; cursor?: KeysetCursor | undefined },
): Promise<Page<DocumentInfo>> {
  const rows = await db
    .select(columns)
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        page.cursor ? olderThan(documents.createdAt, documents.id, page.cursor) : undefined,
      ),
    )
    .orderBy(...newestFirst(documents.createdAt, documents.id))
    .limit(page.limit + 1);
  return keysetPage(rows, page.limit, (r) => ({ at: r.exact, id: r.id }), toInfo);
}

/** The newest indexed documents (up to LIST_ALL_MAX), for the chat's document list: drafts are left out. */
export async function listAllDocuments(db: Database, tenantId: string): Promise<DocumentInfo[]> {
  const rows = await db
    .select(columns)
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.status, "ready")))
    .orderBy(...newestFirst(documents.createdAt, documents.id))
    .limit(LIST_ALL_MAX);
  return rows.map(toInfo);
}

/** A document with its text, or null when the tenant has no such document. */
export async function getDocument(
  db: Database,
  tenantId: string,
  id: string,
): Promise<DocumentDetail | null> {
  const [row] = await db
    .select({ ...columns, text: documents.text })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
    .limit(1);
  if (!row) return null;
  const { text, ...rest } = row;
  return { ...toInfo(rest), text };
}

/** Deletes a document, (by cascade) its passages, and its original in R2. */
export async function deleteDocument(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  id: string,
): Promise<void> {
  const [row] = await db
    .delete(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
    .returning({ id: documents.id, r2Key: documents.r2Key });
  if (!row) throw new AppError("not_found", "No such document.");
  // The row is gone either way; a failed object delete leaves an unreachable object, not a broken row.
  if (row.r2Key) await bucket.delete(row.r2Key).catch(() => {});
}
