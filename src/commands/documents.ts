import { cleanId } from "./chunk-grammar.ts";
import { say } from "./texts.ts";
import { argument, type Command, failed, UUID_RE } from "./types.ts";

const DOCUMENT_TEXT_LIMIT = 6000;
const SEARCH_LIMIT = 5;

/** RAG_LIST_DOCUMENTS: the tenant's documents by title; their ids go to the model's note only. */
export const ragListDocumentsCommand: Command = {
  name: "RAG_LIST_DOCUMENTS",
  channels: ["web", "telegram"],
  async run(ctx) {
    const docs = await ctx.knowledge().listDocuments(ctx.tenantId);
    if (docs.length === 0) return { ok: true, text: say(ctx.locale, "noDocuments"), data: { documents: [] } };
    const lines = docs.map((d) => `• ${d.title}`);
    return {
      ok: true,
      text: `${say(ctx.locale, "documents")}\n${lines.join("\n")}`,
      data: { documents: docs },
      note: `RAG_LIST_DOCUMENTS: ${docs.map((d) => `"${d.title}" document_id=${d.id}`).join("; ")}`,
    };
  },
};

/** RAG_GET_DOCUMENT document_id=...: the document's text (cut to a size the prompt can carry). */
export const ragGetDocumentCommand: Command = {
  name: "RAG_GET_DOCUMENT",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const id = cleanId(argument(block, "document_id", "id"));
    if (!id || !UUID_RE.test(id)) return failed(say(ctx.locale, "needsDocument"));
    const doc = await ctx.knowledge().getDocument(ctx.tenantId, id);
    if (!doc) return failed(say(ctx.locale, "noSuchDocument"));
    const cut =
      doc.text.length > DOCUMENT_TEXT_LIMIT ? `${doc.text.slice(0, DOCUMENT_TEXT_LIMIT)}…` : doc.text;
    return {
      ok: true,
      text: `${doc.title}:\n${cut}`,
      data: { document: { id: doc.id, title: doc.title, contentType: doc.contentType } },
      note: `RAG_GET_DOCUMENT: "${doc.title}" document_id=${doc.id}`,
    };
  },
};

/** RAG_SEARCH query=... (or q=): the best passages by document title; ids in the model's note. */
export const ragSearchCommand: Command = {
  name: "RAG_SEARCH",
  channels: ["web", "telegram"],
  async run(ctx, block) {
    const query = argument(block, "query", "q")?.slice(0, 500);
    if (!query) return failed(say(ctx.locale, "needsQuery"));
    const hits = await ctx.knowledge().search(ctx.tenantId, query, SEARCH_LIMIT);
    if (hits.length === 0)
      return { ok: true, text: say(ctx.locale, "nothingFound", { query }), data: { query, hits: [] } };
    const lines = hits.map((h) => `• ${h.title}: ${h.snippet}`);
    return {
      ok: true,
      text: `${say(ctx.locale, "found")}\n${lines.join("\n")}`,
      data: { query, hits },
      note: `RAG_SEARCH: ${hits.map((h) => `"${h.title}" document_id=${h.documentId}`).join("; ")}`,
    };
  },
};
