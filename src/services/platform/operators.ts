/**
 * Who the platform operators are (docs/operator.md): the users of the tenant `PLATFORM_TENANT_SLUG` whose
 * e-mail is listed in `PLATFORM_ADMINS` (comma-separated, case-insensitive). Unset: nobody.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { tenantDirectory, users } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";

export interface PlatformConfig {
  slug: string;
  admins: Set<string>;
}

/** The platform tenant's slug and the operators' e-mails; null when either is not configured. */
export function platformConfig(env: Pick<Bindings, "PLATFORM_TENANT_SLUG" | "PLATFORM_ADMINS">) {
  const slug = env.PLATFORM_TENANT_SLUG?.trim().toLowerCase() ?? "";
  const admins = new Set(
    (env.PLATFORM_ADMINS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  );
  return slug && admins.size > 0 ? ({ slug, admins } satisfies PlatformConfig) : null;
}

/** The platform tenant's id (through the directory view: no tenant is known yet), or null. */
export async function platformTenantId(db: Database, config: PlatformConfig): Promise<string | null> {
  const [row] = await db
    .select({ id: tenantDirectory.id })
    .from(tenantDirectory)
    .where(eq(tenantDirectory.slug, config.slug))
    .limit(1);
  return row?.id ?? null;
}

/** The user's e-mail, role and revocation time, read in the platform tenant's scope. */
export async function platformUser(db: Database, tenantId: string, userId: string) {
  const [row] = await db
    .select({ email: users.email, role: users.role, tokensValidAfter: users.tokensValidAfter })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
    .limit(1);
  return row ?? null;
}
