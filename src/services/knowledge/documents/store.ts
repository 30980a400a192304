/**
 * The tenant's documents for retrieval: the extracted text in `documents`, its passages in
 * `document_passages` (whose generated `tsv` column holds Russian and English stems). The original
 * upload is not kept: only its text is needed to answer.
 */
import type { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";
import { exactTimestamp, type KeysetCursor, keysetPage, newestFirst, olderThan } from "../../../db/keyset.ts";
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
  passage_count: sql<number>`(select count(*)::int from document_passages p where p.tenant_id = documents.tenant_id and p.document_id = documents.id)`,
  createdAt: documents.createdAt,
  exact: exactTimestamp(documents.createdAt),
};

type Row = { createdAt: Date; exact: string } & Omit<DocumentInfo, "created_at">;
const toInfo = ({ createdAt, exact: _exact, ...rest }: Row): DocumentInfo => ({
  ...rest,
  created_at: createdAt.toISOString(),
});

/** Extracts, splits and indexes an uploaded document (text, markdown, HTML or PDF; else 415). */
export async function createDocument(
  db: Database,
  tenantId: string,
  upload: Upload,
  title: string | undefined,
): Promise<DocumentInfo> {
  requireType(upload.contentType, DOCUMENT_TYPES, "document");
  const extracted = await extractDocument(await uploadBytes(upload), upload.contentType);
  const passages = splitPassages(extracted.text);
  const id = await db.transaction(async (tx) => {
    const [doc] = await tx
      .insert(documents)
      .values({
        tenantId,
        title: documentTitle(title, extracted.title, upload.name),
        sourceName: upload.name,
        contentType: upload.contentType,
        size: upload.size,
        text: extracted.text,
      })
      .returning({ id: documents.id });
    const documentId = (doc as { id: string }).id;
    for (let i = 0; i < passages.length; i += INSERT_BATCH) {
      await tx
        .insert(documentPassages)
        .values(
          passages
            .slice(i, i + INSERT_BATCH)
            .map((text, j) => ({ tenantId, documentId, position: i + j, text })),
        );
    }
    return documentId;
  });
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

/** The newest documents (up to LIST_ALL_MAX), for the chat's document list. */
export async function listAllDocuments(db: Database, tenantId: string): Promise<DocumentInfo[]> {
  return (await listDocuments(db, tenantId, { limit: LIST_ALL_MAX })).items;
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

/** Deletes a document and (by cascade) its passages. */
export async function deleteDocument(db: Database, tenantId: string, id: string): Promise<void> {
  const [row] = await db
    .delete(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
    .returning({ id: documents.id });
  if (!row) throw new AppError("not_found", "No such document.");
}
