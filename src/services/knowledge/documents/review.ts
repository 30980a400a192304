/**
 * The owner's review of a document's text: read the text a draft (or an indexed document) holds, save a
 * corrected one (which indexes it, or re-indexes an indexed document), or publish a draft as extracted.
 * The original upload stays in R2 whatever the text becomes, and can be downloaded (`openOriginal`).
 */
import type { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";
import { documents } from "../../../db/schema.ts";
import { AppError } from "../../../errors.ts";
import { DOCUMENT_TEXT_MAX, type DocumentTextSchema } from "../../../schemas/uploads.ts";
import { assertTenantKey } from "../files.ts";
import { type DocumentInfo, getDocument, indexText } from "./store.ts";

/** A document's reviewable text. */
export type DocumentText = z.infer<typeof DocumentTextSchema>;

const notFound = () => new AppError("not_found", "No such document.");

/** The document's current text and state (404 when the tenant has no such document). */
export async function getDocumentText(db: Database, tenantId: string, id: string): Promise<DocumentText> {
  const [row] = await db
    .select({
      id: documents.id,
      status: documents.status,
      text: documents.text,
      editedAt: documents.textEditedAt,
    })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
    .limit(1);
  if (!row) throw notFound();
  return {
    id: row.id,
    status: row.status,
    text: row.text,
    text_edited_at: row.editedAt?.toISOString() ?? null,
    max_length: DOCUMENT_TEXT_MAX,
  };
}

async function info(db: Database, tenantId: string, id: string): Promise<DocumentInfo> {
  const doc = await getDocument(db, tenantId, id);
  if (!doc) throw notFound();
  const { text: _text, ...rest } = doc;
  return rest;
}

/**
 * Stores the owner's text and (re-)indexes the document with it, in one transaction: a draft becomes
 * `ready`, an indexed document's passages are replaced, so visitors' searches find the corrected words.
 */
export async function saveDocumentText(
  db: Database,
  tenantId: string,
  id: string,
  text: string,
): Promise<DocumentInfo> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(documents)
      .set({ text, status: "ready", textEditedAt: new Date() })
      .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
      .returning({ id: documents.id });
    if (!row) throw notFound();
    await indexText(tx, tenantId, id, text);
  });
  return info(db, tenantId, id);
}

/**
 * Indexes a draft's text as it is (`ready`). Publishing an indexed document changes nothing, so a
 * repeated request is harmless; `changed` tells the caller whether the knowledge visitors see moved.
 */
export async function publishDocument(
  db: Database,
  tenantId: string,
  id: string,
): Promise<{ document: DocumentInfo; changed: boolean }> {
  const changed = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: documents.status, text: documents.text })
      .from(documents)
      .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
      .for("update")
      .limit(1);
    if (!row) throw notFound();
    if (row.status === "ready") return false;
    await tx
      .update(documents)
      .set({ status: "ready" })
      .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)));
    await indexText(tx, tenantId, id, row.text);
    return true;
  });
  return { document: await info(db, tenantId, id), changed };
}

/** The original upload as stored, for download (404 for documents stored before originals were kept). */
export async function openOriginal(
  db: Database,
  bucket: R2Bucket,
  tenantId: string,
  id: string,
): Promise<{ name: string; contentType: string; size: number; body: ReadableStream }> {
  const [row] = await db
    .select({
      name: documents.sourceName,
      contentType: documents.contentType,
      key: documents.r2Key,
    })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)))
    .limit(1);
  if (!row?.key) throw notFound();
  assertTenantKey(row.key, tenantId);
  const object = await bucket.get(row.key);
  if (!object) throw new AppError("not_found", "The original file is no longer stored.");
  return { name: row.name, contentType: row.contentType, size: object.size, body: object.body };
}
