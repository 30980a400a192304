/**
 * A KnowledgeProvider backed by an external Gallery/RAG service over HTTP (JSON), the seam that lets a
 * tenant replace the built-in one without touching the chat core. The contract is in docs/knowledge.md:
 *
 *   GET {base}/tenants/{tenant_id}/galleries              -> GallerySummary[]
 *   GET {base}/tenants/{tenant_id}/galleries/{group_id}   -> GalleryDetail   (404 -> null)
 *   GET {base}/tenants/{tenant_id}/documents              -> DocumentSummary[]
 *   GET {base}/tenants/{tenant_id}/documents/{id}         -> DocumentDetail  (404 -> null)
 *   GET {base}/tenants/{tenant_id}/search?q=...&limit=N   -> SearchHit[]
 *
 * Answers are validated; a failing, slow or malformed service becomes `upstream_error` (502), so a chat
 * command reports a failure instead of passing along whatever came back.
 */
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { KnowledgeProvider } from "./types.ts";

export interface HttpKnowledgeOptions {
  /** Base URL of the service, e.g. `https://rag.example.com/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer ...` when set. */
  token?: string | undefined;
  /** Per-request timeout; 5 s by default. */
  timeoutMs?: number;
  /** The fetch to use: global fetch, or a service binding's `fetch`. */
  fetch?: typeof fetch;
}

const GallerySummary = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  imageCount: z.number().int().nonnegative(),
});
const GalleryDetail = GallerySummary.extend({
  images: z.array(
    z.object({ id: z.string(), name: z.string(), caption: z.string().nullable(), url: z.url() }),
  ),
});
const DocumentSummary = z.object({
  id: z.string(),
  title: z.string(),
  contentType: z.string(),
  size: z.number().nonnegative(),
  createdAt: z.string(),
});
const DocumentDetail = DocumentSummary.extend({ text: z.string() });
const SearchHit = z.object({
  documentId: z.string(),
  title: z.string(),
  snippet: z.string(),
  rank: z.number(),
});

/** A KnowledgeProvider that asks an external service (see the module comment for its routes). */
export function createHttpKnowledge(options: HttpKnowledgeOptions): KnowledgeProvider {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function get<T>(path: string, schema: z.ZodType<T>, nullOn404: true): Promise<T | null>;
  async function get<T>(path: string, schema: z.ZodType<T>, nullOn404?: false): Promise<T>;
  async function get<T>(path: string, schema: z.ZodType<T>, nullOn404 = false): Promise<T | null> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        headers: {
          accept: "application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch {
      throw new AppError("upstream_error", "The knowledge service did not answer.");
    }
    if (res.status === 404 && nullOn404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new AppError("upstream_error", `The knowledge service answered ${res.status}.`);
    }
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new AppError("upstream_error", "The knowledge service sent an unexpected answer.");
    return parsed.data;
  }

  const tenant = (id: string) => `/tenants/${encodeURIComponent(id)}`;
  return {
    listGalleries: (tenantId) => get(`${tenant(tenantId)}/galleries`, z.array(GallerySummary)),
    getGallery: (tenantId, groupId) =>
      get(`${tenant(tenantId)}/galleries/${encodeURIComponent(groupId)}`, GalleryDetail, true),
    listDocuments: (tenantId) => get(`${tenant(tenantId)}/documents`, z.array(DocumentSummary)),
    getDocument: (tenantId, documentId) =>
      get(`${tenant(tenantId)}/documents/${encodeURIComponent(documentId)}`, DocumentDetail, true),
    search: (tenantId, query, limit) => {
      const qs = new URLSearchParams({ q: query, limit: String(limit) });
      return get(`${tenant(tenantId)}/search?${qs}`, z.array(SearchHit));
    },
  };
}
