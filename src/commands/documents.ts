import { argument, type Command, failed, UUID_RE } from "./types.ts";

const DOCUMENT_TEXT_LIMIT = 6000;
const SEARCH_LIMIT = 5;

/** RAG_LIST_DOCUMENTS: titles and ids of the tenant's documents. */
export const ragListDocumentsCommand: Command = {
  name: "RAG_LIST_DOCUMENTS",
  channels: ["web", "telegram"],
  async run(ctx) {
    const docs = await ctx.knowledge().listDocuments(ctx.tenantId);
    if (docs.length === 0) return { ok: true, text: "No documents yet.", data: { documents: [] } };
    const lines = docs.map((d) => `- ${d.title} (id ${d.id})`);
    return { ok: true, text: `Documents:\n${lines.join("\n")}`, data: { documents: docs } };
  },
};

/** RAG_GET_DOCUMENT document_id=...: the document's text (cut to a size the prompt can carry). */
export const ragGetDocumentCommand: Command = {
  name: "RAG_GET_DOCUMENT",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const id = argument(block, "document_id", "id");
    if (!id || !UUID_RE.test(id)) return failed("RAG_GET_DOCUMENT needs document_id= with a document id.");
    const doc = await ctx.knowledge().getDocument(ctx.tenantId, id);
    if (!doc) return failed("No such document.");
    const cut =
      doc.text.length > DOCUMENT_TEXT_LIMIT ? `${doc.text.slice(0, DOCUMENT_TEXT_LIMIT)}…` : doc.text;
    return {
      ok: true,
      text: `${doc.title}:\n${cut}`,
      data: { document: { id: doc.id, title: doc.title, contentType: doc.contentType } },
    };
  },
};

/** RAG_SEARCH query=... (or q=): the best passages, with their document ids. */
export const ragSearchCommand: Command = {
  name: "RAG_SEARCH",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const query = argument(block, "query", "q");
    if (!query) return failed("RAG_SEARCH needs query=.");
    const hits = await ctx.knowledge().search(ctx.tenantId, query.slice(0, 500), SEARCH_LIMIT);
    if (hits.length === 0)
      return { ok: true, text: `Nothing found for "${query}".`, data: { query, hits: [] } };
    const lines = hits.map((h) => `- ${h.title} (id ${h.documentId}): ${h.snippet}`);
    return { ok: true, text: `Found:\n${lines.join("\n")}`, data: { query, hits } };
  },
};
