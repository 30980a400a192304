import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { tenants } from "../db/schema.ts";
import { AppError } from "../errors.ts";

export type TenantRow = typeof tenants.$inferSelect;

/** The tenant with this id; throws `tenant_not_found` when there is none. */
export async function requireTenantById(db: Database, tenantId: string): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row;
}

/** The tenant with this slug; throws `tenant_not_found` when there is none. */
export async function requireTenantBySlug(db: Database, slug: string): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  if (!row) throw new AppError("tenant_not_found", `No tenant has the slug "${slug}".`);
  return row;
}
