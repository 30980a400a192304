/**
 * Finding a tenant. By id, the request is already scoped to it (the `tenant_id` path parameter), so its
 * row is visible. By slug, no tenant is known yet: the slug is resolved in the directory view, which shows
 * no settings (docs/security.md), and the request's transaction then enters that tenant to read its row.
 */
import { eq } from "drizzle-orm";
import type { Queryable } from "../../db/client.ts";
import { tenantDirectory, tenants } from "../../db/schema.ts";
import { enterTenant } from "../../db/tenant-scope.ts";
import { AppError } from "../../errors.ts";

export type TenantRow = typeof tenants.$inferSelect;

/** The tenant with this id; throws `tenant_not_found` when there is none. */
export async function requireTenantById(db: Queryable, tenantId: string): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row;
}

/** The id of the tenant with this slug (from the directory: any tenant, no secrets), or null. */
export async function tenantIdBySlug(db: Queryable, slug: string): Promise<string | null> {
  const [row] = await db
    .select({ id: tenantDirectory.id })
    .from(tenantDirectory)
    .where(eq(tenantDirectory.slug, slug))
    .limit(1);
  return row?.id ?? null;
}

/**
 * The tenant with this slug; throws `tenant_not_found` when there is none. Scopes the rest of the
 * request's transaction to that tenant (the caller acts for it from here on).
 */
export async function requireTenantBySlug(db: Queryable, slug: string): Promise<TenantRow> {
  const id = await tenantIdBySlug(db, slug);
  if (!id) throw new AppError("tenant_not_found", `No tenant has the slug "${slug}".`);
  await enterTenant(db, id);
  return requireTenantById(db, id);
}
