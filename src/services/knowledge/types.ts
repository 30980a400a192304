/**
 * What the user-chat commands (LIST_GALLERIES, SHOW_GALLERY, RAG_*) need from a tenant's galleries and
 * documents. The chat core talks only to this interface, so an external Gallery/RAG service (an HTTP URL
 * or a service binding) can replace the built-in Postgres/R2 one per tenant without touching it.
 */

export interface GallerySummary {
  id: string;
  title: string;
  description: string | null;
  imageCount: number;
}

export interface GalleryImage {
  id: string;
  name: string;
  caption: string | null;
  /** Public, cacheable URL of the image. */
  url: string;
}

export interface GalleryDetail extends GallerySummary {
  images: GalleryImage[];
}

export interface DocumentSummary {
  id: string;
  title: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface DocumentDetail extends DocumentSummary {
  text: string;
}

export interface SearchHit {
  documentId: string;
  title: string;
  /** The passage around the match, with the matched words kept as plain text. */
  snippet: string;
  rank: number;
}

export interface KnowledgeProvider {
  listGalleries(tenantId: string): Promise<GallerySummary[]>;
  getGallery(tenantId: string, groupId: string): Promise<GalleryDetail | null>;
  listDocuments(tenantId: string): Promise<DocumentSummary[]>;
  getDocument(tenantId: string, documentId: string): Promise<DocumentDetail | null>;
  search(tenantId: string, query: string, limit: number): Promise<SearchHit[]>;
}
