/**
 * The tenant's MCP tools in the prompt snapshot (durable-objects/tenant-object.ts): one more column of the
 * snapshot's single query, the enabled servers' enabled tools kept, the rest dropped. Server and tool
 * changes invalidate the snapshot (routes/cabinet-mcp.ts), so a warm turn lists nothing remotely.
 */
import type { StoredMcpTool } from "../../db/schema.ts";
import { MCP_NAME } from "./listed-tools.ts";
import type { McpServerRef, ToolArgsSchema } from "./types.ts";

/** The part of a JSON Schema the chat uses (arguments.ts), in plain JSON types. */
export function argsSchema(schema: Record<string, unknown>): ToolArgsSchema {
  const raw = schema.properties;
  const props = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const properties: NonNullable<ToolArgsSchema["properties"]> = {};
  for (const [name, value] of Object.entries(props)) {
    // Rows listed before names were checked (listed-tools.ts) may still hold others.
    if (!MCP_NAME.test(name)) continue;
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof type === "string") properties[name] = { type };
    else if (Array.isArray(type))
      properties[name] = { type: type.filter((t): t is string => typeof t === "string") };
    else properties[name] = {};
  }
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === "string")
    : [];
  return { properties, required };
}

/** Rows of the `mcp_servers` column below. */
export interface McpServerSnapshotRow {
  id: string;
  name: string;
  url: string;
  headersSealed: string | null;
  adminChat: boolean;
  tools: StoredMcpTool[];
}

/** A select-list item for the snapshot query (`t` is the tenants row): the enabled servers as JSON. */
export const MCP_SERVERS_COLUMN = `coalesce((select json_agg(json_build_object('id', m.id, 'name', m.name, 'url', m.url,
            'headersSealed', m.headers_encrypted, 'adminChat', m.admin_chat, 'tools', m.tools) order by m.name)
             from mcp_servers m where m.tenant_id = t.id and m.enabled),
            '[]'::json) as mcp_servers`;

/** The servers with at least one enabled tool, each with only those (and only names the spec allows). */
export function snapshotServers(rows: readonly McpServerSnapshotRow[] | null | undefined): McpServerRef[] {
  return (rows ?? [])
    .map((r) => ({
      id: r.id,
      name: r.name,
      url: r.url,
      headersSealed: r.headersSealed,
      adminChat: r.adminChat === true,
      tools: (r.tools ?? [])
        .filter((t) => t.enabled && MCP_NAME.test(t.name))
        .map((t) => ({ name: t.name, description: t.description, inputSchema: argsSchema(t.inputSchema) })),
    }))
    .filter((s) => s.tools.length > 0);
}
