/**
 * The CIP data model (DESIGN.md "Domain model"). Every row that belongs to a tenant carries `tenant_id`,
 * and every index a tenant-scoped query walks starts with it, so a query can never be cheaper without it.
 */
export * from "./schema/conversations.ts";
export * from "./schema/integrations.ts";
export * from "./schema/knowledge.ts";
export * from "./schema/mcp.ts";
export * from "./schema/platform.ts";
export * from "./schema/releases.ts";
export * from "./schema/tenants.ts";
