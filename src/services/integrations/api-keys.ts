/**
 * API keys: a tenant's servers call CIP with `Authorization: Bearer cip_…` (docs/api-clients.md). A key
 * is `cip_` + 32 random bytes (base64url), shown once; only its SHA-256 is stored. Every request looks
 * the key up again (no cache), so a deleted key is refused by the next request.
 */
import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { apiKeys, tenants } from "../../db/schema.ts";
import type { ApiKeyIdentity } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { API_KEY_PATTERN, API_KEY_PREFIX, type ApiKeyScope } from "../../lib/api-key-routes.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";

/** Keys a tenant may hold at once: enough for every server, few enough to review. */
export const API_KEYS_PER_TENANT_MAX = 20;

/** Characters of the key shown in lists (`cip_` and 8 of the random part: ~48 bits, never enough to use). */
const PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

/** `last_used_at` is written at most this often per key, so a busy key costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyItem {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  created_at: string;
  last_used_at: string | null;
}

export interface CreatedApiKey extends Omit<ApiKeyItem, "last_used_at"> {
  /** The key itself: in this answer only. */
  key: string;
}

const toItem = (row: typeof apiKeys.$inferSelect): ApiKeyItem => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  created_at: row.createdAt.toISOString(),
  last_used_at: row.lastUsedAt?.toISOString() ?? null,
});

/** Makes a key for the tenant; the answer carries the key, which is never readable again. */
export async function createApiKey(
  db: Database,
  owner: { tenantId: string; userId: string },
  input: { name: string; scopes: ApiKeyScope[] },
): Promise<CreatedApiKey> {
  const [held] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.tenantId, owner.tenantId));
  if ((held?.n ?? 0) >= API_KEYS_PER_TENANT_MAX) {
    throw new AppError(
      "conflict",
      `A tenant holds at most ${API_KEYS_PER_TENANT_MAX} API keys: delete one you no longer use.`,
    );
  }
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      tenantId: owner.tenantId,
      createdBy: owner.userId,
      name: input.name,
      keyHash: await sha256Hex(key),
      prefix: key.slice(0, PREFIX_LENGTH),
      scopes: [...new Set(input.scopes)],
    })
    .returning();
  if (!row) throw new AppError("internal_error", "The key was not stored.");
  const { last_used_at: _unused, ...item } = toItem(row);
  return { ...item, key };
}

/** The tenant's keys, newest first, without the keys themselves. */
export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyItem[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toItem);
}

/** Deletes a key of the tenant; the next request with it is refused. 404 for an unknown id. */
export async function deleteApiKey(db: Database, tenantId: string, keyId: string): Promise<void> {
  const gone = await db
    .delete(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
    .returning({ id: apiKeys.id });
  if (gone.length === 0) throw new AppError("not_found", "No such API key.");
}

interface LookupRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  created_by: string;
  scopes: ApiKeyScope[];
  last_used_at: Date | string | null;
}

/**
 * Checks a key for a request of `tenantId` that needs `scope`: 401 `invalid_api_key` for an unknown,
 * revoked or malformed key; 403 for a key of another tenant, or one without the scope.
 */
export async function authenticateApiKey(
  db: Database,
  token: string,
  tenantId: string,
  scope: ApiKeyScope,
  now = Date.now(),
): Promise<ApiKeyIdentity> {
  if (!API_KEY_PATTERN.test(token)) {
    throw new AppError("invalid_api_key", "This API key is not valid: check that it was copied whole.");
  }
  // The lookup function reads one key by its hash across tenants (0007): the path may name another tenant.
  const result = await db.execute<LookupRow>(
    sql`select id, tenant_id, created_by, scopes, last_used_at from cip_api_key_lookup(${await sha256Hex(token)})`,
  );
  const row = result.rows[0];
  if (!row)
    throw new AppError("invalid_api_key", "This API key is not valid: it was deleted or never existed.");
  if (row.tenant_id !== tenantId.toLowerCase())
    throw new AppError("forbidden", "This API key belongs to another tenant.");
  if (!row.scopes.includes(scope)) {
    throw new AppError("insufficient_scope", `This API key lacks the "${scope}" scope this route needs.`);
  }
  // A tenant the platform operator blocked (docs/operator.md) is closed to its keys as to its users.
  const [tenant] = await db
    .select({ blocked: sql<boolean>`coalesce(${tenants.settings} -> 'blocked' = 'true'::jsonb, false)` })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (tenant?.blocked === true)
    throw new AppError("tenant_blocked", "This account is blocked by the platform. Contact support.");
  const lastUsed = row.last_used_at === null ? 0 : new Date(row.last_used_at).getTime();
  if (now - lastUsed >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent first uses in one minute write once.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiKeys.tenantId, tenantId),
          eq(apiKeys.id, row.id),
          sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} <= ${new Date(now - LAST_USED_RESOLUTION_MS).toISOString()}::timestamptz)`,
        ),
      );
  }
  return { id: row.id, tenantId: row.tenant_id, createdBy: row.created_by, scopes: row.scopes };
}
