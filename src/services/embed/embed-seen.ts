/**
 * Remembers that a tenant's chat was embedded on a real site: the first time its embed page is served for
 * a host page on another origin (one that may use the chat), `settings.embedSeen` gets that origin and
 * the time. The onboarding checklist ticks "put it on your site" from it. Written once: the page checks
 * the tenant row it already read, and the update itself only writes while the key is absent.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type TenantSettings, tenants } from "../../db/schema.ts";

/** Whether the embed page just served should be recorded (a foreign host origin, nothing stored yet). */
export function shouldRecordEmbed(
  settings: TenantSettings,
  hostOrigin: string,
  selfOrigins: string[],
): boolean {
  return (
    hostOrigin !== "" && hostOrigin !== "null" && !selfOrigins.includes(hostOrigin) && !settings.embedSeen
  );
}

/** Stores the first host origin; a later call (or a race) leaves the first one. */
export async function recordEmbedSeen(db: Database, tenantId: string, hostOrigin: string): Promise<void> {
  const seen = { origin: hostOrigin, at: new Date().toISOString() };
  await db
    .update(tenants)
    .set({
      settings: sql`coalesce(${tenants.settings}, '{}'::jsonb) || jsonb_build_object('embedSeen', ${JSON.stringify(seen)}::jsonb)`,
    })
    .where(and(eq(tenants.id, tenantId), sql`${tenants.settings} -> 'embedSeen' is null`));
}
