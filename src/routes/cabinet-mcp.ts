/** The owner's MCP servers: add (tools listed at once), list, switch server or tools, delete, re-list. */
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { errorResponses } from "../schemas/common.ts";
import {
  McpServerCreateBody,
  McpServerListSchema,
  McpServerParams,
  McpServerPatchBody,
  McpServerSchema,
  TenantIdParam,
} from "../schemas/mcp.ts";
import {
  createMcpServer,
  deleteMcpServer,
  listMcpServers,
  patchMcpServer,
  refreshMcpServer,
} from "../services/mcp/store.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = {
  tags: ["mcp"],
};
const base = "/tenants/{tenant_id}/me/mcp-servers";

const createDef = ownerRoute({
  ...common,
  method: "post",
  path: base,
  summary: "Attach an MCP server (Streamable HTTP): its tools are listed at once and become chat commands",
  request: { params: TenantIdParam, body: { ...json(McpServerCreateBody), required: true } },
  responses: { 201: ok("Created", McpServerSchema), ...errorResponses(409, 422) },
});

const listDef = ownerRoute({
  ...common,
  method: "get",
  path: base,
  summary: "The tenant's MCP servers with their tools and last error (never header values)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Servers", McpServerListSchema) },
});

const patchDef = ownerRoute({
  ...common,
  method: "patch",
  path: `${base}/{server_id}`,
  summary: "Switch an MCP server or single tools on or off",
  request: { params: McpServerParams, body: { ...json(McpServerPatchBody), required: true } },
  responses: { 200: ok("The server", McpServerSchema), ...errorResponses(422) },
});

const deleteDef = ownerRoute({
  ...common,
  method: "delete",
  path: `${base}/{server_id}`,
  summary: "Detach an MCP server; its tools leave the chat",
  request: { params: McpServerParams },
  responses: { 204: { description: "Deleted" } },
});

const refreshDef = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/{server_id}/refresh`,
  summary: "List the server's tools again (switches kept); a failure is stored as its last error",
  request: { params: McpServerParams },
  responses: { 200: ok("The server", McpServerSchema) },
});

/** The chat's snapshot carries the enabled tools: commit, then let the next turn reload it. */
const toolsChanged = (c: Context<AppEnv>, tenantId: string) => invalidatePromptCache(c, tenantId);

export const cabinetMcpRoutes = createRouter()
  .openapi(createDef, async (c) => {
    const { tenantId, userId } = c.var.auth;
    const created = await createMcpServer(c.var.db(), c.env, tenantId, userId, c.req.valid("json"));
    await toolsChanged(c, tenantId);
    return c.json(created, 201);
  })
  .openapi(listDef, async (c) =>
    c.json({ items: await listMcpServers(c.var.db(), c.var.auth.tenantId) }, 200),
  )
  .openapi(patchDef, async (c) => {
    const { tenantId } = c.var.auth;
    const server = await patchMcpServer(
      c.var.db(),
      tenantId,
      c.req.valid("param").server_id,
      c.req.valid("json"),
    );
    await toolsChanged(c, tenantId);
    return c.json(server, 200);
  })
  .openapi(deleteDef, async (c) => {
    const { tenantId } = c.var.auth;
    await deleteMcpServer(c.var.db(), tenantId, c.req.valid("param").server_id);
    await toolsChanged(c, tenantId);
    return c.body(null, 204);
  })
  .openapi(refreshDef, async (c) => {
    const { tenantId } = c.var.auth;
    const server = await refreshMcpServer(c.var.db(), c.env, tenantId, c.req.valid("param").server_id);
    await toolsChanged(c, tenantId);
    return c.json(server, 200);
  });
