/** The owner's files on R2: upload, list, download (with ranges), delete. */
import { headerType } from "../lib/sniff.ts";
import { readUpload } from "../lib/upload.ts";
import { TenantIdParam } from "../schemas/accounts.ts";
import { errorResponses } from "../schemas/common.ts";
import { FilePage, FileParams, FileSchema, PageQuery, UploadQuery, uploadBody } from "../schemas/uploads.ts";
import { deleteFile, downloadFile, listFiles, storeFile } from "../services/knowledge/files.ts";
import { enforceStorage, platformQuotas, tenantQuotas } from "../services/platform/quotas.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const binary = (description: string) => ({
  description,
  content: { "*/*": { schema: { type: "string" as const, format: "binary" } } },
});

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_") || "download";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const uploadRoute = ownerRoute({
  method: "post",
  path: "/tenants/{tenant_id}/me/files",
  tags: ["files"],
  summary: "Upload a file (multipart `file` field or raw body with ?name=); type sniffed from the bytes",
  request: { params: TenantIdParam, query: UploadQuery, body: uploadBody },
  responses: { 201: json("Stored", FileSchema), ...errorResponses(400, 409, 413, 422) },
});
const listRoute = ownerRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/files",
  summary: "Files, newest first",
  tags: ["files"],
  request: { params: TenantIdParam, query: PageQuery },
  responses: { 200: json("Files, newest first", FilePage), ...errorResponses(422) },
});
const downloadRoute = ownerRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/files/{file_id}",
  tags: ["files"],
  summary: "Download (Range: bytes=... answers 206; If-None-Match answers 304)",
  request: { params: FileParams },
  responses: {
    200: binary("The file"),
    206: binary("Part of the file"),
    304: { description: "Not modified" },
    ...errorResponses(416),
  },
});
const deleteRoute = ownerRoute({
  method: "delete",
  path: "/tenants/{tenant_id}/me/files/{file_id}",
  summary: "Delete a file",
  tags: ["files"],
  request: { params: FileParams },
  responses: { 204: { description: "Deleted" } },
});

export const cabinetFileRoutes = createRouter()
  .openapi(uploadRoute, async (c) => {
    const upload = await readUpload(c.req.raw, c.env, c.req.valid("query").name);
    const { tenantId, userId } = c.var.auth;
    const quotas = await tenantQuotas(c.var.db(), tenantId, platformQuotas(c.env));
    await enforceStorage(c.var.db(), tenantId, quotas, upload.size);
    return c.json(await storeFile(c.var.db(), c.env.FILES, tenantId, userId, upload), 201);
  })
  .openapi(listRoute, async (c) =>
    c.json(await listFiles(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  )
  .openapi(downloadRoute, async (c) => {
    const { file_id } = c.req.valid("param");
    const result = await downloadFile(c.var.db(), c.env.FILES, c.var.auth.tenantId, file_id, {
      range: c.req.header("range"),
      ifNoneMatch: c.req.header("if-none-match"),
    });
    const headers = new Headers({
      "Cache-Control": "private, no-cache",
      "Accept-Ranges": "bytes",
      "X-Content-Type-Options": "nosniff",
    });
    const size = result.file.size;
    if (result.status === 416) {
      headers.set("Content-Range", `bytes */${size}`);
      headers.set("Content-Type", "application/json");
      const error = { code: "range_not_satisfiable", message: `The file has ${size} bytes.` };
      return new Response(JSON.stringify({ error }), { status: 416, headers });
    }
    headers.set("ETag", result.etag);
    if (result.status === 304) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", headerType(result.file.content_type));
    headers.set("Content-Disposition", contentDisposition(result.file.name));
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    const range = result.range;
    if (range && range !== "unsatisfiable") {
      headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`);
      headers.set("Content-Length", String(range.length));
    } else headers.set("Content-Length", String(size));
    return new Response(result.body, { status: result.status, headers });
  })
  .openapi(deleteRoute, async (c) => {
    await deleteFile(c.var.db(), c.env.FILES, c.var.auth.tenantId, c.req.valid("param").file_id);
    return c.body(null, 204);
  });
