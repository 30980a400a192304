/** The platform operator's tables (migration 0011, docs/operator.md). */
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { tenantRef } from "./tenants.ts";

/** Every operator action, in the platform tenant's rows; `targetTenantId` names the tenant it was about. */
export const operatorAudit = pgTable(
  "operator_audit",
  {
    id: id(),
    tenantId: tenantRef(),
    actorUserId: uuid("actor_user_id"),
    actorEmail: text("actor_email").notNull(),
    action: text("action").notNull(),
    /** No foreign key: the trail outlives the tenant. */
    targetTenantId: uuid("target_tenant_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("operator_audit_tenant_recent_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc())],
);

/** Read-only support access to a tenant's cabinet, in the TARGET tenant's rows (its owner sees them). */
export const supportTickets = pgTable(
  "support_tickets",
  {
    id: id(),
    tenantId: tenantRef(),
    operatorUserId: uuid("operator_user_id"),
    operatorEmail: text("operator_email").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("support_tickets_tenant_recent_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc())],
);
