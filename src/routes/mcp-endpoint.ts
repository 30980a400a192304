/**
 * The tenant's knowledge as an MCP server over Streamable HTTP (docs/mcp.md): POST JSON-RPC messages,
 * answered as JSON (stateless, no sessions: there is no GET stream, and the SDK client takes the GET's
 * 404 as "no stream"). Open to the owner's token and to API keys with the `read` scope. The SDK's
 * web-standard transport reads the request and writes the response; the tools are in
 * services/mcp/own-server.ts.
 */
import { z } from "@hono/zod-openapi";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { TenantSettings } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { errorResponses } from "../schemas/common.ts";
import { TenantIdParam } from "../schemas/mcp.ts";
import { createKnowledge } from "../services/knowledge/factory.ts";
import { knowledgeMcpServer } from "../services/mcp/own-server.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

/** A request (with `id`) or a notification (without) of the MCP protocol, as JSON-RPC 2.0. */
const JsonRpcRequest = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string().max(200), z.number().int()]).optional(),
    method: z.string().min(1).max(200).openapi({ example: "tools/list" }),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("McpJsonRpcRequest", {
    description: "A JSON-RPC 2.0 request or notification of the MCP protocol",
  });
const JsonRpcBody = z.union([JsonRpcRequest, z.array(JsonRpcRequest).min(1).max(20)]);
/** An answer: `result` or `error`, for the request's `id`. */
const JsonRpcResponse = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string(), z.number()]).nullable().optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }).optional(),
  })
  .openapi("McpJsonRpcResponse");

const common = { tags: ["mcp"] };
const path = "/tenants/{tenant_id}/mcp";

const postDef = ownerRoute({
  ...common,
  method: "post",
  path,
  summary:
    "MCP server (Streamable HTTP) over the tenant's galleries and documents: list_galleries, show_gallery, list_documents, get_document, search_documents",
  request: {
    params: TenantIdParam,
    body: { content: { "application/json": { schema: JsonRpcBody } }, required: true },
  },
  responses: {
    200: {
      description: "The JSON-RPC response(s)",
      content: { "application/json": { schema: z.union([JsonRpcResponse, z.array(JsonRpcResponse)]) } },
    },
    202: { description: "Notifications accepted" },
    ...errorResponses(400, 415, 422),
  },
});

export const mcpEndpointRoutes = createRouter().openapi(postDef, async (c) => {
  const { tenantId } = c.var.auth;
  // The warm settings say whether an external knowledge service answers for this tenant.
  const settings = (await c.env.TENANTS.getByName(tenantId).settings(tenantId)) as TenantSettings | null;
  if (!settings) throw new AppError("tenant_not_found", "No such tenant.");
  const server = knowledgeMcpServer(
    createKnowledge(c.env, () => c.var.db(), settings),
    tenantId,
  );
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  // Answers are JSON only, so a client that accepts JSON (curl, a simple script) is served as well as
  // one that names both types, as the transport otherwise insists (406).
  const headers = new Headers(c.req.raw.headers);
  headers.set("accept", "application/json, text/event-stream");
  const request = new Request(c.req.raw.url, { method: "POST", headers });
  try {
    return await transport.handleRequest(request, { parsedBody: c.req.valid("json") });
  } finally {
    await server.close();
  }
});
