/**
 * The tenant's settings document (`tenants.settings`, one JSON object) read and written one key at a time,
 * for the tenant given. Writes change only the keys named, merged in the database
 * (`settings - removed || patch`), so settings another screen saves at the same moment survive.
 */
import { eq, sql } from "drizzle-orm";
import { AppError } from "../errors.ts";
import type { Database } from "./client.ts";
import { type TenantSettings, tenants } from "./schema.ts";

/** The columns a settings write answers with: the new document and what callers build views from. */
export interface TenantSettingsRow {
  slug: string;
  name: string;
  settings: TenantSettings;
}

/** One key of the tenant's settings (undefined when unset); `tenant_not_found` when there is no tenant. */
export async function readTenantSetting<K extends keyof TenantSettings>(
  db: Database,
  tenantId: string,
  key: K,
): Promise<TenantSettings[K]> {
  const [row] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row.settings[key];
}

/**
 * Merges `patch` into the settings after dropping the keys in `remove`, in one statement; answers the
 * tenant's slug, name and new settings. `tenant_not_found` when there is no tenant.
 */
export async function patchTenantSettings(
  db: Database,
  tenantId: string,
  patch: TenantSettings,
  remove: readonly (keyof TenantSettings)[] = [],
): Promise<TenantSettingsRow> {
  const [row] = await db
    .update(tenants)
    .set({
      settings: sql`(coalesce(${tenants.settings}, '{}'::jsonb)
        - array(select jsonb_array_elements_text(${JSON.stringify(remove)}::jsonb)))
        || ${JSON.stringify(patch)}::jsonb`,
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenantId))
    .returning({ slug: tenants.slug, name: tenants.name, settings: tenants.settings });
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return row;
}

/** Replaces one key (`undefined` removes it); answers the key's new value. */
export async function writeTenantSetting<K extends keyof TenantSettings>(
  db: Database,
  tenantId: string,
  key: K,
  value: TenantSettings[K],
): Promise<TenantSettings[K]> {
  const patch: TenantSettings = value === undefined ? {} : ({ [key]: value } as TenantSettings);
  const row = await patchTenantSettings(db, tenantId, patch, [key]);
  return row.settings[key];
}
