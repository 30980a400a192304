/**
 * The owner's review of a document's text (docs/knowledge.md "Review before indexing"): read the
 * extracted text, save a corrected one (indexes or re-indexes it), publish a draft as extracted, and
 * download the original upload, which stays in R2 whatever the text becomes.
 */
import { headerType } from "../lib/sniff.ts";
import { errorResponses } from "../schemas/common.ts";
import { DocumentParams, DocumentSchema, DocumentTextBody, DocumentTextSchema } from "../schemas/uploads.ts";
import {
  getDocumentText,
  openOriginal,
  publishDocument,
  saveDocumentText,
} from "../services/knowledge/documents/review.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { contentDisposition } from "./cabinet-files.ts";
import { createRouter } from "./router.ts";

const ok = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const tags = ["documents"];
const path = "/tenants/{tenant_id}/me/documents/{document_id}";

const getTextRoute = ownerRoute({
  method: "get",
  path: `${path}/text`,
  operationId: "getDocumentText",
  summary: "The document's text as extracted (a draft) or as last saved, for review",
  tags,
  request: { params: DocumentParams },
  responses: {
    200: ok("The text and the document's state", DocumentTextSchema),
  },
});
const putTextRoute = ownerRoute({
  method: "put",
  path: `${path}/text`,
  operationId: "saveDocumentText",
  summary: "Save a corrected text and index it (a draft becomes ready; an indexed document is re-indexed)",
  tags,
  request: {
    params: DocumentParams,
    body: { required: true, content: { "application/json": { schema: DocumentTextBody } } },
  },
  responses: { 200: ok("Saved and indexed", DocumentSchema), ...errorResponses(413, 422) },
});
const publishRoute = ownerRoute({
  method: "post",
  path: `${path}/publish`,
  operationId: "publishDocument",
  summary: "Index a draft's text as extracted (an indexed document stays as it is)",
  tags,
  request: { params: DocumentParams },
  responses: { 200: ok("Indexed", DocumentSchema) },
});
const originalRoute = ownerRoute({
  method: "get",
  path: `${path}/original`,
  operationId: "downloadDocumentOriginal",
  summary: "Download the original uploaded file (kept whatever the text became)",
  tags,
  request: { params: DocumentParams },
  responses: {
    200: {
      description: "The original file",
      content: { "*/*": { schema: { type: "string" as const, format: "binary" } } },
    },
  },
});

export const cabinetDocumentReviewRoutes = createRouter()
  .openapi(getTextRoute, async (c) => {
    const { document_id } = c.req.valid("param");
    return c.json(await getDocumentText(c.var.db(), c.var.auth.tenantId, document_id), 200);
  })
  .openapi(putTextRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { document_id } = c.req.valid("param");
    const saved = await saveDocumentText(c.var.db(), tenantId, document_id, c.req.valid("json").text);
    // The setup chat's prompt lists the indexed documents (tenant-object.ts).
    await invalidatePromptCache(c, tenantId);
    return c.json(saved, 200);
  })
  .openapi(publishRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { document, changed } = await publishDocument(
      c.var.db(),
      tenantId,
      c.req.valid("param").document_id,
    );
    if (changed) await invalidatePromptCache(c, tenantId);
    return c.json(document, 200);
  })
  .openapi(originalRoute, async (c) => {
    const { document_id } = c.req.valid("param");
    const file = await openOriginal(c.var.db(), c.env.FILES, c.var.auth.tenantId, document_id);
    const headers = new Headers({
      "Cache-Control": "private, no-cache",
      "Content-Type": headerType(file.contentType),
      "Content-Length": String(file.size),
      "Content-Disposition": contentDisposition(file.name),
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Content-Type-Options": "nosniff",
    });
    return new Response(file.body, { status: 200, headers }) as never;
  });
