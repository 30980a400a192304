/**
 * The owner's documents for retrieval: upload (text, markdown, HTML, PDF), list, read, search, delete.
 * Review of a document's text (drafts, corrections, the original) is in cabinet-document-review.ts.
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../errors.ts";
import { readUpload } from "../lib/upload.ts";
import { TenantIdParam } from "../schemas/accounts.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  DocumentDetailSchema,
  DocumentPage,
  DocumentParams,
  DocumentSchema,
  DocumentUploadQuery,
  PageQuery,
  SearchHitSchema,
  SearchQuery,
  uploadBody,
} from "../schemas/uploads.ts";
import { searchPassages } from "../services/knowledge/documents/search.ts";
import {
  createDocument,
  deleteDocument,
  getDocument,
  listDocuments,
} from "../services/knowledge/documents/store.ts";
import { enforceQuota, platformQuotas } from "../services/platform/quotas.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const ok = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const tags = ["documents"];
const base = "/tenants/{tenant_id}/me/documents";

const uploadRoute = ownerRoute({
  method: "post",
  path: base,
  tags,
  summary:
    "Upload a document (text, markdown, HTML or PDF by its bytes); optional ?title=; ?review=true keeps it a draft",
  request: { params: TenantIdParam, query: DocumentUploadQuery, body: uploadBody },
  responses: {
    201: ok("Stored: indexed, or a draft awaiting review with ?review=true", DocumentSchema),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});
const listRoute = ownerRoute({
  method: "get",
  path: base,
  summary: "Documents, newest first",
  tags,
  request: { params: TenantIdParam, query: PageQuery },
  responses: { 200: ok("Documents, newest first", DocumentPage), ...errorResponses(422) },
});
const searchRoute = ownerRoute({
  method: "get",
  path: `${base}/search`,
  tags,
  summary: "Try retrieval: the passages the chat's RAG_SEARCH would get for `q`",
  request: { params: TenantIdParam, query: SearchQuery },
  responses: {
    200: ok("Best passages first", z.object({ items: z.array(SearchHitSchema) })),
    ...errorResponses(422),
  },
});
const getRoute = ownerRoute({
  method: "get",
  path: `${base}/{document_id}`,
  summary: "One document with its text",
  tags,
  request: { params: DocumentParams },
  responses: {
    200: ok("The document with its text", DocumentDetailSchema),
  },
});
const deleteRoute = ownerRoute({
  method: "delete",
  path: `${base}/{document_id}`,
  summary: "Delete a document and its passages",
  tags,
  request: { params: DocumentParams },
  responses: { 204: { description: "Deleted" } },
});

export const cabinetDocumentRoutes = createRouter()
  .openapi(uploadRoute, async (c) => {
    const { name, title, review } = c.req.valid("query");
    const { tenantId } = c.var.auth;
    const upload = await readUpload(c.req.raw, c.env, name);
    await enforceQuota(c.var.db(), tenantId, platformQuotas(c.env), {
      kind: "documents",
      bytes: upload.size,
    });
    const doc = await createDocument(c.var.db(), c.env.FILES, tenantId, upload, title, { review });
    // The setup chat's prompt lists the indexed documents; a draft is not in it yet.
    if (doc.status === "ready") await invalidatePromptCache(c, tenantId);
    return c.json(doc, 201);
  })
  .openapi(listRoute, async (c) =>
    c.json(await listDocuments(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  )
  .openapi(searchRoute, async (c) => {
    const { q, limit } = c.req.valid("query");
    return c.json({ items: await searchPassages(c.var.db(), c.var.auth.tenantId, q, limit) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const doc = await getDocument(c.var.db(), c.var.auth.tenantId, c.req.valid("param").document_id);
    if (!doc) throw new AppError("not_found", "No such document.");
    return c.json(doc, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { tenantId } = c.var.auth;
    await deleteDocument(c.var.db(), c.env.FILES, tenantId, c.req.valid("param").document_id);
    await invalidatePromptCache(c, tenantId);
    return c.body(null, 204);
  });
