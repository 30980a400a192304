/**
 * The owner's MCP servers in Postgres: add (URL checked, headers sealed, tools listed at once), list,
 * switch the server or single tools, delete, re-list. A listing that fails leaves the server stored with
 * its last error (the cabinet shows it), never a 500. Header values are never returned.
 */
import { and, count, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { mcpServers, type StoredMcpTool } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { webhookUrlProblem } from "../../lib/public-url.ts";
import { MAX_MCP_SERVERS_PER_TENANT, type McpServerItem } from "../../schemas/mcp.ts";
import { allowPrivateTargets } from "../webhooks/deliver.ts";
import { listRemoteTools } from "./client.ts";
import { McpRemoteError, remoteFailure } from "./failures.ts";
import { openMcpHeaders, sealMcpHeaders } from "./secrets.ts";
import type { McpToolInfo } from "./types.ts";

type Row = typeof mcpServers.$inferSelect;

function toItem(row: Row): McpServerItem {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    admin_chat: row.adminChat,
    header_names: row.headerNames,
    tools: row.tools.map((t) => ({
      name: t.name,
      description: t.description,
      enabled: t.enabled,
      input_schema: t.inputSchema,
    })),
    last_error: row.lastError,
    listed_at: row.listedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * A new listing with the owner's earlier switches kept by tool name. Tools of the listing made when the
 * server is added start enabled; a tool that first appears on a refresh starts disabled (`newEnabled` false),
 * so the owner reviews it before visitors can call it.
 */
export function mergeTools(
  previous: StoredMcpTool[],
  listed: McpToolInfo[],
  newEnabled: boolean,
): StoredMcpTool[] {
  const was = new Map(previous.map((t) => [t.name, t.enabled]));
  return listed.map((t) => ({ ...t, enabled: was.get(t.name) ?? newEnabled }));
}

function checkUrl(env: Bindings, url: string): void {
  const problem = webhookUrlProblem(url, allowPrivateTargets(env));
  if (problem) {
    throw new AppError("validation_failed", `The MCP server URL cannot be used: ${problem}`, {
      issues: [{ path: "url", message: problem }],
    });
  }
}

/** Lists the tools; a failure is the error text for `last_error` instead. */
async function listOrError(
  env: Bindings,
  url: string,
  headers: Record<string, string>,
): Promise<{ tools: McpToolInfo[] } | { error: string }> {
  try {
    return { tools: await listRemoteTools({ url, headers, allowPrivate: allowPrivateTargets(env) }) };
  } catch (err) {
    return { error: (err instanceof McpRemoteError ? err : remoteFailure(err)).message };
  }
}

/** Adds a server and lists its tools; 422 for a URL that may not be called, 409 for a taken name. */
export async function createMcpServer(
  db: Database,
  env: Bindings,
  tenantId: string,
  userId: string,
  input: { name: string; url: string; headers?: Record<string, string> | undefined },
): Promise<McpServerItem> {
  const url = input.url.trim();
  checkUrl(env, url);
  const [held] = await db.select({ n: count() }).from(mcpServers).where(eq(mcpServers.tenantId, tenantId));
  if ((held?.n ?? 0) >= MAX_MCP_SERVERS_PER_TENANT) {
    throw new AppError("conflict", `A tenant can have at most ${MAX_MCP_SERVERS_PER_TENANT} MCP servers.`);
  }
  const [taken] = await db
    .select({ id: mcpServers.id })
    .from(mcpServers)
    .where(and(eq(mcpServers.tenantId, tenantId), eq(mcpServers.name, input.name)));
  if (taken) throw new AppError("conflict", `An MCP server named "${input.name}" exists already.`);
  const headers = input.headers ?? {};
  const id = crypto.randomUUID();
  const listed = await listOrError(env, url, headers);
  const [row] = await db
    .insert(mcpServers)
    .values({
      id,
      tenantId,
      name: input.name,
      url,
      headersEncrypted: await sealMcpHeaders(env, tenantId, id, headers),
      headerNames: Object.keys(headers),
      tools: "tools" in listed ? mergeTools([], listed.tools, true) : [],
      lastError: "error" in listed ? listed.error : null,
      listedAt: "tools" in listed ? new Date() : null,
      createdBy: userId,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError("conflict", `An MCP server named "${input.name}" exists already.`);
  return toItem(row);
}

export async function listMcpServers(db: Database, tenantId: string): Promise<McpServerItem[]> {
  const rows = await db
    .select()
    .from(mcpServers)
    .where(eq(mcpServers.tenantId, tenantId))
    .orderBy(mcpServers.name);
  return rows.map(toItem);
}

async function getRow(db: Database, tenantId: string, serverId: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.tenantId, tenantId), eq(mcpServers.id, serverId)));
  if (!row) throw new AppError("not_found", "No such MCP server.");
  return row;
}

/** Switches the server and/or single tools; 422 for a tool the server did not list. */
export async function patchMcpServer(
  db: Database,
  tenantId: string,
  serverId: string,
  patch: {
    enabled?: boolean | undefined;
    admin_chat?: boolean | undefined;
    tools?: Record<string, boolean> | undefined;
  },
): Promise<McpServerItem> {
  const row = await getRow(db, tenantId, serverId);
  const switches = patch.tools ?? {};
  const known = new Set(row.tools.map((t) => t.name));
  const unknown = Object.keys(switches).find((name) => !known.has(name));
  if (unknown !== undefined) {
    throw new AppError("validation_failed", `The server has no tool "${unknown}".`, {
      issues: [{ path: `tools.${unknown}`, message: "No such tool" }],
    });
  }
  const tools = row.tools.map((t) => ({ ...t, enabled: switches[t.name] ?? t.enabled }));
  const [updated] = await db
    .update(mcpServers)
    .set({
      enabled: patch.enabled ?? row.enabled,
      adminChat: patch.admin_chat ?? row.adminChat,
      tools,
      updatedAt: sql`now()`,
    })
    .where(and(eq(mcpServers.tenantId, tenantId), eq(mcpServers.id, serverId)))
    .returning();
  if (!updated) throw new AppError("not_found", "No such MCP server.");
  return toItem(updated);
}

export async function deleteMcpServer(db: Database, tenantId: string, serverId: string): Promise<void> {
  const gone = await db
    .delete(mcpServers)
    .where(and(eq(mcpServers.tenantId, tenantId), eq(mcpServers.id, serverId)))
    .returning({ id: mcpServers.id });
  if (gone.length === 0) throw new AppError("not_found", "No such MCP server.");
}

/**
 * Lists the server's tools again (switches kept, tools new since the last listing off); a failure is
 * stored as its last error.
 */
export async function refreshMcpServer(
  db: Database,
  env: Bindings,
  tenantId: string,
  serverId: string,
): Promise<McpServerItem> {
  const row = await getRow(db, tenantId, serverId);
  const headers = await openMcpHeaders(env, tenantId, row.id, row.headersEncrypted);
  const listed = headers
    ? await listOrError(env, row.url, headers)
    : { error: "The server's headers cannot be decrypted; delete it and add it again." };
  const [updated] = await db
    .update(mcpServers)
    .set(
      "tools" in listed
        ? {
            tools: mergeTools(row.tools, listed.tools, false),
            lastError: null,
            listedAt: new Date(),
            updatedAt: sql`now()`,
          }
        : { lastError: listed.error, updatedAt: sql`now()` },
    )
    .where(and(eq(mcpServers.tenantId, tenantId), eq(mcpServers.id, serverId)))
    .returning();
  if (!updated) throw new AppError("not_found", "No such MCP server.");
  return toItem(updated);
}
