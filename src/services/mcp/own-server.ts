/**
 * The tenant's knowledge as an MCP server (docs/mcp.md): `list_galleries`, `show_gallery`,
 * `list_documents`, `get_document`, `search_documents` over the tenant's own galleries and documents
 * (the same KnowledgeProvider the chat commands use, so an external knowledge service answers here too).
 * One server per request (stateless); the tenant id comes from the authenticated request, never from a
 * tool argument.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { KnowledgeProvider } from "../knowledge/types.ts";
import { capBytes } from "./result-text.ts";

/** The longest tool answer CIP's server gives (a document's text is cut there, with a note). */
const MAX_ANSWER_BYTES = 64 * 1024;

const json = (value: unknown) => {
  const { text, truncated } = capBytes(JSON.stringify(value, null, 2), MAX_ANSWER_BYTES);
  return { content: [{ type: "text" as const, text: truncated ? `${text}\n…(cut)` : text }] };
};
const notFound = (what: string) => ({
  content: [{ type: "text" as const, text: `No such ${what}.` }],
  isError: true,
});

/** An MCP server answering from `knowledge` for `tenantId`. */
export function knowledgeMcpServer(knowledge: KnowledgeProvider, tenantId: string): McpServer {
  const server = new McpServer(
    { name: "cip-knowledge", version: "1.0.0" },
    { instructions: "The galleries and documents of one business, as its owner taught CIP." },
  );
  server.registerTool(
    "list_galleries",
    { description: "The image galleries: id, title, description, number of images", inputSchema: {} },
    async () => json(await knowledge.listGalleries(tenantId)),
  );
  server.registerTool(
    "show_gallery",
    {
      description: "One gallery with its images (name, caption, public URL)",
      inputSchema: { gallery_id: z.uuid().describe("A gallery id from list_galleries") },
    },
    async ({ gallery_id }) => {
      const gallery = await knowledge.getGallery(tenantId, gallery_id);
      return gallery ? json(gallery) : notFound("gallery");
    },
  );
  server.registerTool(
    "list_documents",
    { description: "The documents: id, title, content type, size, upload time", inputSchema: {} },
    async () => json(await knowledge.listDocuments(tenantId)),
  );
  server.registerTool(
    "get_document",
    {
      description: "One document with its extracted text",
      inputSchema: { document_id: z.uuid().describe("A document id from list_documents") },
    },
    async ({ document_id }) => {
      const doc = await knowledge.getDocument(tenantId, document_id);
      return doc ? json(doc) : notFound("document");
    },
  );
  server.registerTool(
    "search_documents",
    {
      description: "Full-text search over the documents: the best passages with their document",
      inputSchema: {
        query: z.string().min(1).max(500).describe("What to look for"),
        limit: z.number().int().min(1).max(20).optional().describe("How many passages (default 5)"),
      },
    },
    async ({ query, limit }) => json(await knowledge.search(tenantId, query, limit ?? 5)),
  );
  return server;
}
