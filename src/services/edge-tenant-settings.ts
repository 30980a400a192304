/**
 * The tenant settings the Worker itself needs before it hands a chat request to a dialog object
 * (protected embed, Turnstile, allowed origins), kept in isolate memory for a few seconds. A miss asks the
 * tenant's TenantObject, whose warm snapshot answers without Postgres; so a warm chat turn costs no
 * database round trip and, within the TTL, no extra Durable Object call either. A settings change drops
 * the entry in the isolate that made it (`forgetEdgeSettings`); other isolates see it within the TTL.
 */
import type { TenantSettings } from "../db/schema.ts";
import type { Bindings } from "../env.ts";

/** How long an isolate trusts what it read (ms): the bound on how late another isolate sees a change. */
export const EDGE_SETTINGS_TTL_MS = 10_000;
/** Entries kept per isolate; the oldest go first (random tenant ids must not grow memory). */
const MAX_ENTRIES = 2000;

interface Entry {
  value: TenantSettings | null;
  at: number;
}

const entries = new Map<string, Entry>();
/** Bumped by `forgetEdgeSettings`: a read that started before a change must not cache what it got. */
let epoch = 0;

/** The tenant's settings (null: no such tenant), from memory when fresh, else from its TenantObject. */
export async function edgeTenantSettings(
  env: Pick<Bindings, "TENANTS">,
  tenantId: string,
): Promise<TenantSettings | null> {
  const entry = entries.get(tenantId);
  if (entry && Date.now() - entry.at < EDGE_SETTINGS_TTL_MS) return entry.value;
  // Each request makes its own call: a promise started by another request belongs to that request's
  // I/O context, and awaiting it here would hang this one once the other ends (workerd cancels it).
  const started = epoch;
  const value = (await env.TENANTS.getByName(tenantId).settings(tenantId)) as TenantSettings | null;
  if (started !== epoch) return value;
  entries.delete(tenantId);
  entries.set(tenantId, { value, at: Date.now() });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}

/** Drops this isolate's copy after a settings change, so the next request here reads the new ones. */
export function forgetEdgeSettings(tenantId: string): void {
  epoch += 1;
  entries.delete(tenantId);
}
