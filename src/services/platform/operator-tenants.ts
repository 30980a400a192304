/**
 * The operator console's tenant work (docs/operator.md). Reads across tenants go through ONE database
 * function, `cip_platform_tenants` (migration 0011, SECURITY DEFINER under its own role): the app role
 * itself still sees only the scoped tenant's rows. A change to one tenant runs in THAT tenant's scope,
 * entered explicitly for the statement and left right after (`inTenant`), inside the operator's
 * transaction, so the change and its audit row commit together.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { decodeCursor, encodeCursor, type KeysetPage } from "../../db/keyset.ts";
import { type TenantLimits, tenants } from "../../db/schema.ts";
import { enterTenant } from "../../db/tenant-scope.ts";
import { AppError } from "../../errors.ts";
import { type AuthConfig, issueTicketToken } from "../../lib/jwt.ts";
import { insertTicket, type Operator, writeAudit } from "./operator-audit.ts";

/** A tenant as the console lists it. */
export interface PlatformTenant {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  owner_email: string | null;
  dialogs: number;
  tokens_month: number;
  blocked: boolean;
  limits: LimitsView;
}

/** A tenant's limits as the API names them; null: the platform default. */
export interface LimitsView {
  max_message_chars?: number | null | undefined;
  documents?: number | null | undefined;
  galleries?: number | null | undefined;
  images_per_gallery?: number | null | undefined;
  chunks?: number | null | undefined;
  storage_bytes?: number | null | undefined;
}

const NAMES: Array<[keyof LimitsView, keyof TenantLimits]> = [
  ["max_message_chars", "maxMessageChars"],
  ["documents", "documents"],
  ["galleries", "galleries"],
  ["images_per_gallery", "imagesPerGallery"],
  ["chunks", "chunks"],
  ["storage_bytes", "storageBytes"],
];

/** Stored limits -> the API's (every key present, null for the platform default). */
export function limitsView(stored: TenantLimits): LimitsView {
  return Object.fromEntries(NAMES.map(([api, own]) => [api, stored[own] ?? null])) as LimitsView;
}

/** The API's limits -> what is stored (nulls left out). */
export function storedLimits(view: LimitsView): TenantLimits {
  const out: TenantLimits = {};
  for (const [api, own] of NAMES) {
    const v = view[api];
    if (typeof v === "number") out[own] = v;
  }
  return out;
}

type Row = {
  id: string;
  slug: string;
  name: string;
  created_at: string | Date;
  created_at_text: string;
  owner_email: string | null;
  dialogs: string | number;
  tokens_month: string | number;
  blocked: boolean;
  limits: TenantLimits | null;
};

const toTenant = (r: Row): PlatformTenant => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  created_at: new Date(r.created_at).toISOString(),
  owner_email: r.owner_email,
  dialogs: Number(r.dialogs),
  tokens_month: Number(r.tokens_month),
  blocked: r.blocked,
  limits: limitsView(r.limits ?? {}),
});

async function platformRows(
  db: Database,
  args: { q?: string | undefined; cursor?: string | undefined; limit: number; id?: string },
): Promise<Row[]> {
  const after = args.cursor ? decodeCursor(args.cursor) : null;
  const result = await db.execute<Row>(sql`select * from cip_platform_tenants(
      ${args.q?.trim() || null}::text, ${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid,
      ${args.limit}::integer, ${args.id ?? null}::uuid)`);
  return result.rows;
}

/** One page of tenants, newest sign-up first; `q` matches slug, name or an owner's e-mail. */
export async function listTenants(
  db: Database,
  query: { q?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<KeysetPage<PlatformTenant>> {
  const limit = query.limit ?? 50;
  const rows = await platformRows(db, { q: query.q, cursor: query.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toTenant),
    next_cursor: rows.length > limit && last ? encodeCursor({ at: last.created_at_text, id: last.id }) : null,
  };
}

/** One tenant (404 when there is none). */
export async function getPlatformTenant(db: Database, tenantId: string): Promise<PlatformTenant> {
  const [row] = await platformRows(db, { limit: 1, id: tenantId });
  if (!row) throw new AppError("tenant_not_found", "No such tenant.");
  return toTenant(row);
}

/** Runs `work` in `target`'s scope, then returns to the operator's (platform) scope. */
export async function inTenant<T>(db: Database, op: Operator, target: string, work: () => Promise<T>) {
  await enterTenant(db, target);
  try {
    return await work();
  } finally {
    await enterTenant(db, op.platformTenantId);
  }
}

async function writeSettingsKey(db: Database, op: Operator, target: string, key: string, value: unknown) {
  await inTenant(db, op, target, () =>
    db
      .update(tenants)
      .set({
        settings: sql`jsonb_set(coalesce(${tenants.settings}, '{}'::jsonb), ${`{${key}}`}::text[], ${JSON.stringify(value)}::jsonb)`,
        updatedAt: new Date(),
      })
      .where(eq(tenants.id, target)),
  );
}

/**
 * Blocks or unblocks a tenant; audited. The caller drops the tenant's caches after the commit. The
 * platform tenant itself cannot be blocked (409 `conflict`): that would lock every operator out of the
 * console, sign-in included, with no route left to undo it. Unblocking it stays allowed.
 */
export async function setBlocked(
  db: Database,
  op: Operator,
  target: string,
  blocked: boolean,
): Promise<PlatformTenant> {
  await getPlatformTenant(db, target);
  if (blocked && target.toLowerCase() === op.platformTenantId.toLowerCase()) {
    throw new AppError(
      "conflict",
      "The platform tenant cannot be blocked: the operators sign in through it.",
    );
  }
  await writeSettingsKey(db, op, target, "blocked", blocked);
  await writeAudit(db, op, blocked ? "tenant.block" : "tenant.unblock", target, {});
  return getPlatformTenant(db, target);
}

/** Replaces a tenant's limits (a key left out: the platform default); audited. */
export async function setLimits(
  db: Database,
  op: Operator,
  target: string,
  limits: LimitsView,
): Promise<PlatformTenant> {
  const before = await getPlatformTenant(db, target);
  const stored = storedLimits(limits);
  await writeSettingsKey(db, op, target, "limits", stored);
  await writeAudit(db, op, "tenant.limits", target, { before: before.limits, after: limitsView(stored) });
  return getPlatformTenant(db, target);
}

/**
 * Opens a read-only support session for a tenant's cabinet: the ticket row (in the tenant's rows, so
 * its owner sees it), the audit row, and a bearer token that ends with the ticket (30 minutes).
 */
export async function openTicket(
  db: Database,
  op: Operator,
  target: string,
  reason: string | undefined,
  config: AuthConfig,
  now = Date.now(),
) {
  const tenant = await getPlatformTenant(db, target);
  const ticket = await inTenant(db, op, target, () => insertTicket(db, op, target, reason, now));
  await writeAudit(db, op, "ticket.open", target, { ticket_id: ticket.id, reason: reason ?? null });
  const token = await issueTicketToken(
    config,
    { ticketId: ticket.id, tenantId: target, operatorId: op.userId, expiresAtMs: ticket.expiresAt.getTime() },
    now,
  );
  return { ...token, expires_at: ticket.expiresAt.toISOString(), tenant_id: target, slug: tenant.slug };
}
