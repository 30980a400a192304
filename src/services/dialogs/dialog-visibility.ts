/** Who may see which dialogs: the tenant's, and for a member only its own (part of every dialog query). */
import { and, eq, type SQL } from "drizzle-orm";
import { dialogs } from "../../db/schema.ts";
import type { AuthContext } from "../../env.ts";

/** The condition that keeps a query to the dialogs `auth` may see. */
export function visibleTo(auth: AuthContext): SQL {
  const tenant = eq(dialogs.tenantId, auth.tenantId);
  return auth.role === "owner" ? tenant : (and(tenant, eq(dialogs.userId, auth.userId)) as SQL);
}
