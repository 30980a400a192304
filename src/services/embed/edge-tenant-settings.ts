/**
 * The tenant settings the Worker itself needs before it hands a chat request to a dialog object
 * (protected embed, Turnstile, allowed origins: the chat guard and the chat API's CORS), kept in isolate
 * memory for a few seconds. A miss asks the tenant's TenantObject, whose warm snapshot answers without
 * Postgres; so a warm chat turn or a preflight costs no database round trip and, within the TTL, no extra
 * Durable Object call either. A tenant id that does not exist is remembered apart (a short negative
 * cache), so repeating it costs nothing and a flood of made-up ids cannot push the real tenants out.
 * A settings change drops the entry in the isolate that made it (`forgetEdgeSettings`); other isolates
 * see it within the TTL.
 */
import type { TenantSettings } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";

/** How long an isolate trusts what it read (ms): the bound on how late another isolate sees a change. */
export const EDGE_SETTINGS_TTL_MS = 10_000;
/** How long an isolate remembers that a tenant id names no tenant (ms). */
export const EDGE_MISSING_TTL_MS = 10_000;
/** Tenants kept per isolate; the least recently read go first. */
const MAX_ENTRIES = 2000;
/** Unknown ids kept per isolate (a few dozen bytes each); the oldest go first. */
const MAX_MISSING = 5000;

interface Entry {
  value: TenantSettings;
  at: number;
}

const entries = new Map<string, Entry>();
/** Unknown tenant ids and when they were found missing. */
const missing = new Map<string, number>();
/** Bumped by `forgetEdgeSettings`: a read that started before a change must not cache what it got. */
let epoch = 0;

/** The tenant's settings (null: no such tenant), from memory when fresh, else from its TenantObject. */
export async function edgeTenantSettings(
  env: Pick<Bindings, "TENANTS">,
  tenantId: string,
): Promise<TenantSettings | null> {
  const now = Date.now();
  const entry = entries.get(tenantId);
  if (entry && now - entry.at < EDGE_SETTINGS_TTL_MS) {
    // Most recently used last: eviction takes the tenants nobody asked for longest.
    entries.delete(tenantId);
    entries.set(tenantId, entry);
    return entry.value;
  }
  const missed = missing.get(tenantId);
  if (missed !== undefined && now - missed < EDGE_MISSING_TTL_MS) return null;
  // Each request makes its own call: a promise started by another request belongs to that request's
  // I/O context, and awaiting it here would hang this one once the other ends (workerd cancels it).
  const started = epoch;
  const value = (await env.TENANTS.getByName(tenantId).settings(tenantId)) as TenantSettings | null;
  if (started !== epoch) return value;
  entries.delete(tenantId);
  missing.delete(tenantId);
  if (value) remember(entries, tenantId, { value, at: Date.now() }, MAX_ENTRIES);
  else remember(missing, tenantId, Date.now(), MAX_MISSING);
  return value;
}

/** Drops this isolate's copy after a settings change, so the next request here reads the new ones. */
export function forgetEdgeSettings(tenantId: string): void {
  epoch += 1;
  entries.delete(tenantId);
  missing.delete(tenantId);
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}
