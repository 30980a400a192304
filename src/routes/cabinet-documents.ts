/** The owner's documents for retrieval: upload (text, markdown, HTML, PDF), list, read, search, delete. */
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../errors.ts";
import { readUpload } from "../lib/upload.ts";
import { requireAuth } from "../middleware/auth/index.ts";
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
import { createRouter } from "./router.ts";

const ok = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const security = [{ bearer: [] }];
const tags = ["documents"];
const base = "/tenants/{tenant_id}/me/documents";

const uploadRoute = createRoute({
  method: "post",
  path: base,
  tags,
  security,
  summary: "Upload a document (text, markdown, HTML or PDF by its bytes); optional ?title=",
  middleware: [requireAuth("owner")] as const,
  request: { params: TenantIdParam, query: DocumentUploadQuery, body: uploadBody },
  responses: { 201: ok("Indexed", DocumentSchema), ...errorResponses(400, 401, 403, 413, 415, 422) },
});
const listRoute = createRoute({
  method: "get",
  path: base,
  summary: "Documents, newest first",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: TenantIdParam, query: PageQuery },
  responses: { 200: ok("Documents, newest first", DocumentPage), ...errorResponses(401, 403, 422) },
});
const searchRoute = createRoute({
  method: "get",
  path: `${base}/search`,
  tags,
  security,
  summary: "Try retrieval: the passages the chat's RAG_SEARCH would get for `q`",
  middleware: [requireAuth("owner")] as const,
  request: { params: TenantIdParam, query: SearchQuery },
  responses: {
    200: ok("Best passages first", z.object({ items: z.array(SearchHitSchema) })),
    ...errorResponses(401, 403, 422),
  },
});
const getRoute = createRoute({
  method: "get",
  path: `${base}/{document_id}`,
  summary: "One document with its text",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: DocumentParams },
  responses: {
    200: ok("The document with its text", DocumentDetailSchema),
    ...errorResponses(401, 403, 404),
  },
});
const deleteRoute = createRoute({
  method: "delete",
  path: `${base}/{document_id}`,
  summary: "Delete a document and its passages",
  tags,
  security,
  middleware: [requireAuth("owner")] as const,
  request: { params: DocumentParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
});

export const cabinetDocumentRoutes = createRouter()
  .openapi(uploadRoute, async (c) => {
    const { name, title } = c.req.valid("query");
    const upload = await readUpload(c.req.raw, c.env, name);
    return c.json(await createDocument(c.var.db(), c.var.auth.tenantId, upload, title), 201);
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
    await deleteDocument(c.var.db(), c.var.auth.tenantId, c.req.valid("param").document_id);
    return c.body(null, 204);
  });
