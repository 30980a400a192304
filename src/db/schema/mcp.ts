/** MCP servers a tenant attaches; their tools become the visitor bot's EXECUTE MCP commands (docs/mcp.md). */
import { sql } from "drizzle-orm";
import { boolean, check, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { tenantRef, users } from "./tenants.ts";

/** One tool as last listed, with the owner's switch. `inputSchema` is the server's JSON Schema. */
export interface StoredMcpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  enabled: boolean;
}

export const mcpServers = pgTable(
  "mcp_servers",
  {
    id: id(),
    tenantId: tenantRef(),
    /** `[a-z0-9_-]{1,32}`, unique per tenant: what the model writes as `server=`. */
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** Sealed JSON object of request headers (secrets); null when none. Never returned. */
    headersEncrypted: text("headers_encrypted"),
    /** The header names only, so the cabinet can say which are set. */
    headerNames: text("header_names").array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** The owner lets the setup chat call this server's tools too (off: visitor channels only). */
    adminChat: boolean("admin_chat").notNull().default(false),
    tools: jsonb("tools").$type<StoredMcpTool[]>().notNull().default([]),
    lastError: text("last_error"),
    listedAt: timestamp("listed_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("mcp_servers_tenant_name_uq").on(t.tenantId, t.name),
    check("mcp_servers_name_format", sql`${t.name} ~ '^[a-z0-9_-]{1,32}$'`),
  ],
);
