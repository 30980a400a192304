/**
 * The dialog object's warm copy of its tenant's prompt snapshot (tenant-object.ts). Each turn asks the
 * tenant object for its epoch, one small call answered from memory (no Postgres), and keeps the copy only
 * while the epochs match: a change committed before a turn is seen by that turn, and no tenant change has
 * to call the dialogs that hold a copy.
 */
import type { Bindings } from "../env.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/** Safety net for the copy, should an invalidation ever be missed. */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60 * 1000;

/** One dialog's copy of the tenant snapshot, checked against the tenant object's epoch on every use. */
export class SnapshotCache {
  private cached: { value: TenantSnapshot; at: number } | undefined;

  constructor(private readonly env: Bindings) {}

  /** The copy as last fetched, unchecked: for the work between turns (outbox events, the sync loop). */
  get last(): TenantSnapshot | undefined {
    return this.cached?.value;
  }

  /** The warm copy while it is current, else the tenant object's (which may load it); null: no tenant. */
  async get(tenantId: string): Promise<TenantSnapshot | null> {
    const tenant = this.env.TENANTS.getByName(tenantId);
    const cached = this.cached;
    if (
      cached &&
      cached.value.tenantId === tenantId &&
      Date.now() - cached.at < SNAPSHOT_MAX_AGE_MS &&
      (await tenant.snapshotEpoch()) === cached.value.epoch
    )
      return cached.value;
    const value = await tenant.snapshot(tenantId);
    this.cached = value ? { value, at: Date.now() } : undefined;
    return value;
  }
}
