/**
 * What the chat knows about a tenant's MCP servers (docs/mcp.md): the enabled servers with their enabled
 * tools, carried in the tenant's prompt snapshot so a warm turn lists nothing remotely. The header
 * secrets travel sealed; they are opened only when a tool is called.
 */

/** One tool as a server listed it. `inputSchema` is its JSON Schema (an object schema). */
export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * What the chat needs of a tool's input schema: property types and required names. Kept to plain JSON
 * types so the snapshot stays serializable over Durable Object RPC (an `unknown` would not be).
 */
export type ToolArgsSchema = {
  properties?: Record<string, { type?: string | string[] }>;
  required?: string[];
};

/** A tool as the snapshot carries it. */
export type McpToolRef = { name: string; description: string; inputSchema: ToolArgsSchema };

/** An enabled server of the tenant, with its enabled tools, as the snapshot carries it. */
export interface McpServerRef {
  id: string;
  name: string;
  url: string;
  /** The sealed JSON of its request headers (services/mcp/secrets.ts), or null. */
  headersSealed: string | null;
  /** The owner lets the setup chat call these tools too. */
  adminChat: boolean;
  tools: McpToolRef[];
}

/** The outcome of one remote call: the text for the answer, or a reason it failed. */
export type McpCallOutcome =
  | { ok: true; text: string; truncated: boolean; isError: boolean }
  | { ok: false; reason: McpFailure; detail: string };

/** Why a remote call failed, for the localized result and the cabinet's last error. */
export type McpFailure = "timeout" | "refused_url" | "unreachable" | "protocol" | "secrets";

/** What the MCP command may use in a turn: the snapshot's servers and a way to call one of their tools. */
export interface McpAccess {
  servers: readonly McpServerRef[];
  call(server: McpServerRef, tool: string, args: Record<string, unknown>): Promise<McpCallOutcome>;
}
