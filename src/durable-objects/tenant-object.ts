import { DurableObject } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { assembleAdminPrompt, assembleUserPrompt, type ChunkForPrompt } from "../chat/system-prompt.ts";
import { openDatabase } from "../db/client.ts";
import type { TenantSettings } from "../db/schema.ts";
import type { Bindings } from "../env.ts";

/** What a chat turn needs to know about its tenant, assembled once and kept warm. */
export interface TenantSnapshot {
  tenantId: string;
  slug: string;
  name: string;
  locale: string;
  settings: TenantSettings;
  version: number;
  userPrompt: string;
  adminPrompt: string;
  chunkCount: number;
}

/** Safety net: even without an invalidation, a snapshot is reloaded after this long. */
const MAX_AGE_MS = 5 * 60 * 1000;
/** An unknown tenant id is remembered briefly so it cannot make every request query Postgres. */
const MISSING_TTL_MS = 10 * 1000;

/**
 * One object per tenant: the prompt cache of the chat hot path. A warm snapshot answers without touching
 * Postgres; a cold one costs a single round trip (tenant and chunks in one query). Every chunk or
 * settings change calls `invalidate()` after its transaction commits, so the next turn sees it.
 */
export class TenantObject extends DurableObject<Bindings> {
  private cached: { snapshot: TenantSnapshot | null; loadedAt: number } | undefined;
  private loading: Promise<TenantSnapshot | null> | undefined;
  /** Bumped by `invalidate()`, so a load that started before it does not cache what it read. */
  private generation = 0;

  async snapshot(tenantId: string): Promise<TenantSnapshot | null> {
    const now = Date.now();
    const c = this.cached;
    if (c && now - c.loadedAt < (c.snapshot ? MAX_AGE_MS : MISSING_TTL_MS)) return c.snapshot;
    if (!this.loading) {
      const loading = this.load(tenantId).finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** Drops the cached snapshot; the next turn loads a fresh one. */
  invalidate(): void {
    this.cached = undefined;
    this.loading = undefined;
    this.generation += 1;
  }

  private async load(tenantId: string): Promise<TenantSnapshot | null> {
    const generation = this.generation;
    const handle = openDatabase(this.env);
    try {
      const result = await handle.db.execute<{
        id: string;
        slug: string;
        name: string;
        locale: string;
        settings: TenantSettings;
        prompt_version: number;
        chunks: ChunkForPrompt[];
      }>(sql`
        select t.id, t.slug, t.name, t.locale, t.settings, t.prompt_version,
          coalesce(
            (select json_agg(json_build_object('id', c.id, 'position', c.position, 'question', c.question, 'text', c.text)
                             order by c.position, c.created_at, c.id)
             from prompt_chunks c where c.tenant_id = t.id),
            '[]'::json) as chunks
        from tenants t where t.id = ${tenantId}`);
      const row = result.rows[0];
      const snapshot: TenantSnapshot | null = row
        ? {
            tenantId: row.id,
            slug: row.slug,
            name: row.name,
            locale: row.locale,
            settings: row.settings,
            version: row.prompt_version,
            userPrompt: assembleUserPrompt(row.settings.basePrompt, row.chunks),
            adminPrompt: assembleAdminPrompt(row.chunks),
            chunkCount: row.chunks.length,
          }
        : null;
      if (generation === this.generation) this.cached = { snapshot, loadedAt: Date.now() };
      return snapshot;
    } finally {
      await handle.close();
    }
  }
}
