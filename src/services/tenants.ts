import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { tenants } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { PublicTenant } from "../schemas/tenant.ts";

type TenantRow = typeof tenants.$inferSelect;

/** The public face of a tenant; settings that are not meant for visitors stay out. */
export function toPublicTenant(row: TenantRow): PublicTenant {
  const widget = row.settings.widget ?? {};
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    locale: row.locale === "en" ? "en" : "ru",
    welcomeText: row.settings.welcomeText ?? null,
    widget: {
      color: widget.color ?? null,
      position: widget.position === "left" ? "left" : "right",
      greeting: widget.greeting ?? null,
    },
  };
}

/** Looks a tenant up by slug; throws `tenant_not_found` when there is none. */
export async function getTenantBySlug(db: Database, slug: string): Promise<PublicTenant> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  if (!row) throw new AppError("tenant_not_found", `No tenant has the slug "${slug}".`);
  return toPublicTenant(row);
}
