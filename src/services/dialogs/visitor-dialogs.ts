/**
 * The visitor's most recently active web dialog in Postgres: the cold lookup of the visitor directory
 * (src/durable-objects/visitor-directory.ts), made once per visitor it has never heard of.
 */
import { and, desc, eq } from "drizzle-orm";
import type { LatestDialog } from "../../chat/continuation.ts";
import type { Queryable } from "../../db/client.ts";
import { dialogs } from "../../db/schema.ts";

/** The latest web dialog of (tenant, visitor) by its last message, or null (index dialogs_tenant_visitor_idx). */
export async function latestWebDialog(
  db: Queryable,
  tenantId: string,
  visitorId: string,
): Promise<LatestDialog | null> {
  const [row] = await db
    .select({ id: dialogs.id, at: dialogs.lastMessageAt })
    .from(dialogs)
    .where(and(eq(dialogs.tenantId, tenantId), eq(dialogs.channel, "web"), eq(dialogs.visitorId, visitorId)))
    .orderBy(desc(dialogs.lastMessageAt), desc(dialogs.id))
    .limit(1);
  return row ? { dialogId: row.id, lastActivity: row.at.getTime() } : null;
}
