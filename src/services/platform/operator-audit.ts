/**
 * The operator's audit trail and support tickets (docs/operator.md). Audit rows live in the platform
 * tenant's rows (who, what, when, about which tenant); tickets in the target tenant's rows, so its owner
 * lists them in their own scope (…/me/support-sessions) like any other data of theirs.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  decodeCursor,
  exactTimestamp,
  type KeysetPage,
  keysetPage,
  newestFirst,
  olderThan,
} from "../../db/keyset.ts";
import { operatorAudit, supportTickets } from "../../db/schema.ts";
import type { Profile } from "../accounts/profile.ts";

/** The operator behind a request: who, and the platform tenant whose rows keep the trail. */
export interface Operator {
  userId: string;
  email: string;
  platformTenantId: string;
}

/** A support session opened for a tenant lasts this long. */
export const TICKET_TTL_MS = 30 * 60 * 1000;

/** Appends one audit row (in the operator's transaction: it commits with the change). */
export async function writeAudit(
  db: Database,
  op: Operator,
  action: string,
  targetTenantId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await db.insert(operatorAudit).values({
    tenantId: op.platformTenantId,
    actorUserId: op.userId,
    actorEmail: op.email,
    action,
    targetTenantId,
    details,
  });
}

export interface AuditEntry {
  id: string;
  actor_email: string;
  action: string;
  target_tenant_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

/** One page of the trail, newest first; `target` narrows it to one tenant. */
export async function listAudit(
  db: Database,
  platformTenantId: string,
  query: { cursor?: string | undefined; limit?: number | undefined; tenant_id?: string | undefined },
): Promise<KeysetPage<AuditEntry>> {
  const limit = query.limit ?? 50;
  const conditions = [eq(operatorAudit.tenantId, platformTenantId)];
  if (query.tenant_id) conditions.push(eq(operatorAudit.targetTenantId, query.tenant_id));
  if (query.cursor)
    conditions.push(olderThan(operatorAudit.createdAt, operatorAudit.id, decodeCursor(query.cursor)));
  const rows = await db
    .select({ row: operatorAudit, at: exactTimestamp(operatorAudit.createdAt) })
    .from(operatorAudit)
    .where(and(...conditions))
    .orderBy(...newestFirst(operatorAudit.createdAt, operatorAudit.id))
    .limit(limit + 1);
  return keysetPage(
    rows,
    limit,
    (r) => ({ at: r.at, id: r.row.id }),
    ({ row }) => ({
      id: row.id,
      actor_email: row.actorEmail,
      action: row.action,
      target_tenant_id: row.targetTenantId,
      details: row.details,
      created_at: row.createdAt.toISOString(),
    }),
  );
}

/** Stores a ticket in the CURRENT scope (the caller enters the target tenant's); returns its id and end. */
export async function insertTicket(
  db: Database,
  op: Operator,
  target: string,
  reason: string | undefined,
  now = Date.now(),
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(now + TICKET_TTL_MS);
  const [row] = await db
    .insert(supportTickets)
    .values({
      tenantId: target,
      operatorUserId: op.userId,
      operatorEmail: op.email,
      reason: reason ?? null,
      expiresAt,
    })
    .returning({ id: supportTickets.id });
  if (!row) throw new Error("ticket insert returned nothing");
  return { id: row.id, expiresAt };
}

export interface SupportSession {
  id: string;
  operator_email: string;
  reason: string | null;
  created_at: string;
  expires_at: string;
  active: boolean;
}

/** The support sessions opened for a tenant, newest first (its owner's view). */
export async function listSupportSessions(db: Database, tenantId: string): Promise<SupportSession[]> {
  const rows = await db
    .select()
    .from(supportTickets)
    .where(eq(supportTickets.tenantId, tenantId))
    .orderBy(...newestFirst(supportTickets.createdAt, supportTickets.id))
    .limit(100);
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    operator_email: r.operatorEmail,
    reason: r.reason,
    created_at: r.createdAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    active: r.expiresAt.getTime() > now,
  }));
}

/**
 * The profile a read-only support session shows the cabinet: no user of the tenant stands behind it, so
 * it names the session itself (the cabinet needs a profile to open).
 */
export function supportProfile(tenantId: string, operatorId: string): Profile {
  return {
    id: operatorId,
    tenant_id: tenantId,
    email: "support (read-only)",
    name: null,
    locale: null,
    role: "owner",
    confirmed_at: null,
    created_at: new Date(0).toISOString(),
    notify_leads: false,
    telegram_linked: false,
  };
}
