/**
 * The built-in knowledge provider: galleries and documents of the tenant from Postgres, images served
 * from R2 through their public URLs. Every call is scoped by the tenant id the chat core passes in.
 */
import type { Database } from "../../db/client.ts";
import { UUID_RE } from "../../lib/uuid.ts";
import { searchPassages } from "./documents/search.ts";
import { getDocument, listAllDocuments } from "./documents/store.ts";
import { type Gallery, getGallery, listGalleries } from "./galleries.ts";
import type { DocumentSummary, GalleryDetail, GallerySummary, KnowledgeProvider } from "./types.ts";

const summary = (g: Gallery): GallerySummary => ({
  id: g.id,
  title: g.title,
  description: g.description,
  imageCount: g.image_count,
});

const detail = (g: Gallery): GalleryDetail => ({
  ...summary(g),
  images: g.images.map((i) => ({ id: i.id, name: i.name, caption: i.caption, url: i.url })),
});

const docSummary = (d: {
  id: string;
  title: string;
  content_type: string;
  size: number;
  created_at: string;
}): DocumentSummary => ({
  id: d.id,
  title: d.title,
  contentType: d.content_type,
  size: d.size,
  createdAt: d.created_at,
});

/**
 * A KnowledgeProvider over this deployment's own tables. `publicBaseUrl` is the origin image URLs start
 * with (FRONTEND_BASE_URL). Ids that are not UUIDs (a model may write anything) find nothing.
 */
export function createBuiltinKnowledge(db: Database, publicBaseUrl: string): KnowledgeProvider {
  return {
    async listGalleries(tenantId) {
      return (await listGalleries(db, tenantId, publicBaseUrl)).map(summary);
    },
    async getGallery(tenantId, groupId) {
      if (!UUID_RE.test(groupId)) return null;
      const gallery = await getGallery(db, tenantId, groupId, publicBaseUrl);
      return gallery ? detail(gallery) : null;
    },
    async listDocuments(tenantId) {
      return (await listAllDocuments(db, tenantId)).map(docSummary);
    },
    async getDocument(tenantId, documentId) {
      if (!UUID_RE.test(documentId)) return null;
      const doc = await getDocument(db, tenantId, documentId);
      // A draft waits for the owner's review: visitors never read it (docs/knowledge.md).
      return doc && doc.status === "ready" ? { ...docSummary(doc), text: doc.text } : null;
    },
    async search(tenantId, query, limit) {
      const hits = await searchPassages(db, tenantId, query, limit);
      return hits.map((h) => ({
        documentId: h.document_id,
        title: h.title,
        snippet: h.snippet,
        rank: h.rank,
      }));
    },
  };
}
