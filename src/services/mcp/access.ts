/**
 * The MCP command's access for one turn: the servers from the tenant's snapshot, and calls that open the
 * server's own sealed headers and send them only to that server's URL (client.ts re-checks the address).
 */
import type { Bindings } from "../../env.ts";
import { log } from "../../lib/log.ts";
import { allowPrivateTargets } from "../webhooks/deliver.ts";
import { callRemoteTool } from "./client.ts";
import { openMcpHeaders } from "./secrets.ts";
import type { McpAccess, McpServerRef } from "./types.ts";

export function mcpAccess(env: Bindings, tenantId: string, servers: readonly McpServerRef[]): McpAccess {
  return {
    servers,
    async call(server, tool, args) {
      const headers = await openMcpHeaders(env, tenantId, server.id, server.headersSealed);
      if (!headers)
        return { ok: false, reason: "secrets", detail: "The server's headers cannot be decrypted." };
      const outcome = await callRemoteTool(
        { url: server.url, headers, allowPrivate: allowPrivateTargets(env) },
        tool,
        args,
      );
      if (!outcome.ok) {
        log("warn", "mcp tool call failed", {
          tenantId,
          server: server.name,
          tool,
          reason: outcome.reason,
          detail: outcome.detail,
        });
      }
      return outcome;
    },
  };
}
