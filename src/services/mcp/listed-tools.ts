/**
 * What CIP keeps of a remote server's tool listing. Tool and argument names end up in system-role text
 * (the prompts, the command's note), so only names the MCP spec allows pass; a schema too big to be an
 * argument list is dropped with its tool, and a tool keeps at most {@link MAX_TOOL_PROPERTIES} arguments.
 */
import type { McpToolInfo } from "./types.ts";

/** A tool's (and an argument's) name as the MCP spec allows it. */
export const MCP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** A tool whose input schema is longer than this (JSON, UTF-8 bytes) is dropped. */
export const MAX_TOOL_SCHEMA_BYTES = 8 * 1024;
/** Arguments kept per tool, in the schema's order. */
export const MAX_TOOL_PROPERTIES = 50;

interface ListedTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: unknown;
}

/** The tool as CIP stores it, or null when its name or schema is refused. */
export function acceptListedTool(tool: ListedTool): McpToolInfo | null {
  if (typeof tool.name !== "string" || !MCP_NAME.test(tool.name)) return null;
  const schema =
    typeof tool.inputSchema === "object" && tool.inputSchema !== null && !Array.isArray(tool.inputSchema)
      ? (tool.inputSchema as Record<string, unknown>)
      : {};
  if (new TextEncoder().encode(JSON.stringify(schema)).byteLength > MAX_TOOL_SCHEMA_BYTES) return null;
  const inputSchema: Record<string, unknown> = { ...schema };
  const raw = schema.properties;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const kept = Object.entries(raw as Record<string, unknown>)
      .filter(([name]) => MCP_NAME.test(name))
      .slice(0, MAX_TOOL_PROPERTIES);
    inputSchema.properties = Object.fromEntries(kept);
    if (Array.isArray(schema.required)) {
      const names = new Set(kept.map(([name]) => name));
      inputSchema.required = schema.required.filter((r) => typeof r === "string" && names.has(r));
    }
  }
  return {
    name: tool.name,
    description: (tool.description ?? tool.title ?? "").slice(0, 1000),
    inputSchema,
  };
}
