/** The local MCP server (scripts/lib/fake-mcp-server.ts) and the cabinet's MCP routes, for tests. */
import { env } from "cloudflare:workers";
import { bearer } from "./accounts.ts";
import { callJson } from "./http.ts";

/** The fake server's URL for a path (`/mcp`, `/secure/mcp`, `/redirect`). */
export const mcpUrl = (path = "/mcp") => `${env.TEST_MCP_SERVER}${path}`;

export const serversPath = (tenantId: string) => `/api/v1/tenants/${tenantId}/me/mcp-servers`;

export interface McpServerBody {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  header_names: string[];
  tools: Array<{
    name: string;
    description: string;
    enabled: boolean;
    input_schema: Record<string, unknown>;
  }>;
  last_error: string | null;
}

/** Attaches the fake server under `name`; throws unless 201. */
export async function attachServer(
  owner: { tenantId: string; token: string },
  name: string,
  path = "/mcp",
  headers?: Record<string, string>,
): Promise<McpServerBody> {
  const res = await callJson(
    "POST",
    serversPath(owner.tenantId),
    { name, url: mcpUrl(path), ...(headers ? { headers } : {}) },
    bearer(owner.token),
  );
  if (res.status !== 201) throw new Error(`attach failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as McpServerBody;
}

/** The Authorization headers the fake server received, per path. */
export async function seenAuthorization(): Promise<Record<string, Array<string | null>>> {
  return (await (await fetch(`${env.TEST_MCP_SERVER}/__seen`)).json()) as Record<
    string,
    Array<string | null>
  >;
}
