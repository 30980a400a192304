import { DurableObject } from "cloudflare:workers";
import {
  ADMIN_KNOWLEDGE_MAX,
  assembleAdminPrompt,
  assembleUserPrompt,
  type ChunkForPrompt,
  type KnowledgeItemForPrompt,
} from "../chat/system-prompt.ts";
import { openDatabase } from "../db/client.ts";
import type { TenantSettings } from "../db/schema.ts";
import { tenantSetting } from "../db/tenant-scope.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { mcpAdminSection, mcpUserSection } from "../services/mcp/prompt.ts";
import { MCP_SERVERS_COLUMN, type McpServerSnapshotRow, snapshotServers } from "../services/mcp/snapshot.ts";
import type { McpServerRef } from "../services/mcp/types.ts";
import { type AdmitDecision, type AdmitRequest, BudgetGate } from "./budget-gate.ts";
import type { ReplyUsage } from "./usage-ledger.ts";

/** What a chat turn needs to know about its tenant, assembled once and kept warm. */
export interface TenantSnapshot {
  tenantId: string;
  slug: string;
  name: string;
  locale: string;
  settings: TenantSettings;
  version: number;
  /** The visitor bot's system prompt: the live release (docs/cabinet.md "Draft and publish"). */
  userPrompt: string;
  /** The same from the draft: what the owner's sandbox answers with. */
  draftPrompt: string;
  adminPrompt: string;
  chunkCount: number;
  /** Which state of the tenant this is: changes with every `invalidate()` (see `snapshotEpoch`). */
  epoch: number;
  /** Event types some webhook of the tenant subscribes to (dialogs record only those). */
  webhookEvents?: string[];
  /** The enabled MCP servers with their enabled tools (docs/mcp.md): a warm turn lists nothing remotely. */
  mcpServers?: McpServerRef[];
}

/** Safety net: even without an invalidation, a snapshot is reloaded after this long. */
const MAX_AGE_MS = 5 * 60 * 1000;
/** An unknown tenant id is remembered briefly so it cannot make every request query Postgres. */
const MISSING_TTL_MS = 10 * 1000;

/** With a stored copy to fall back on, a reload waits this long for Postgres before serving the copy. */
const RELOAD_PATIENCE_MS = 3_000;
/** A snapshot served from the stored copy (Postgres unreachable) is retried after this long. */
const STALE_RETRY_MS = 30_000;

/**
 * One object per tenant: the prompt cache of the chat hot path. A warm snapshot answers without touching
 * Postgres; a cold one costs a single round trip (tenant and chunks in one query). Dialog objects keep a
 * copy of the (large) snapshot and, each turn, compare its `epoch` with `snapshotEpoch()`: one small call
 * answered from memory, no Postgres. Every chunk or settings change calls `invalidate()` after its
 * transaction commits, which drops this cache and moves the epoch on, so the next turn of any dialog sees
 * the change; nothing is kept per dialog and an invalidation costs the same however many dialogs there are.
 */
export class TenantObject extends DurableObject<Bindings> {
  private cached: { snapshot: TenantSnapshot | null; loadedAt: number } | undefined;
  private loading: Promise<TenantSnapshot | null> | undefined;
  /** Bumped by `invalidate()`, so a load that started before it does not cache what it read. */
  private generation = 0;
  /** The current epoch (read from storage once, see `currentEpoch`). */
  private epoch: number | undefined;
  /** The tenant's spending caps and per-visitor message rate (budget-gate.ts). */
  private readonly budget: BudgetGate;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    // The list of dialogs to notify (an earlier design) grew with every dialog: gone, epochs replace it.
    ctx.storage.sql.exec("DROP TABLE IF EXISTS subscribers");
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)",
    );
    // The last snapshot read from Postgres: chat keeps working through a database outage.
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS last_snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)",
    );
    this.budget = new BudgetGate(ctx.storage.sql, env);
  }

  /** May this visitor turn call the model under the tenant's caps? Asked only when a cap is set. */
  admit(tenantId: string, req: AdmitRequest): Promise<AdmitDecision> {
    return this.budget.admit(tenantId, req);
  }

  /** A reply finished with this usage; it counts against the caps until its sync reports it. */
  usagePending(item: ReplyUsage): void {
    this.budget.pending(item);
  }

  /** A dialog's sync statement (transaction `xid`) wrote these replies' usage to Postgres. */
  usageCommitted(xid: string, items: ReplyUsage[]): void {
    this.budget.committed(xid, items);
  }

  /** Today's and this month's tokens as the caps count them (diagnostics and tests). */
  budgetUsage(): { seeded: boolean; day: number; month: number } {
    return this.budget.usage();
  }

  /**
   * The tenant's snapshot (null: no such tenant). Past its safety-net age (no invalidation came, so it is
   * the current state unless one was missed) the snapshot is reloaded in the background and served
   * meanwhile: the reload's Postgres round trips never reach a chat turn. Only a cold object, an
   * invalidated snapshot or a missing tenant waits for the load.
   */
  async snapshot(tenantId: string): Promise<TenantSnapshot | null> {
    const now = Date.now();
    const c = this.cached;
    if (c && now - c.loadedAt < (c.snapshot ? MAX_AGE_MS : MISSING_TTL_MS)) return c.snapshot;
    if (!this.loading) {
      const loading = this.loadOrLastKnown(tenantId).finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    if (c?.snapshot && c.snapshot.tenantId === tenantId) {
      this.ctx.waitUntil(this.loading.catch(() => {}));
      return c.snapshot;
    }
    return this.loading;
  }

  /**
   * Only the tenant's settings, from the same warm snapshot: what the Worker's chat guard needs (protected
   * embed, Turnstile, allowed origins) without shipping the assembled prompts over RPC.
   */
  async settings(tenantId: string): Promise<TenantSettings | null> {
    return (await this.snapshot(tenantId))?.settings ?? null;
  }

  /**
   * The epoch of the tenant's current state: a dialog whose copy carries another one fetches a new
   * snapshot. Answered from memory (storage once per object start), never from Postgres.
   */
  snapshotEpoch(): number {
    return this.currentEpoch();
  }

  /**
   * Drops the cached snapshot and moves the epoch on (durably) before it returns, so every dialog's next
   * turn sees the change; dialogs are not called, however many hold a copy.
   */
  async invalidate(): Promise<void> {
    this.cached = undefined;
    this.ctx.storage.sql.exec("DELETE FROM last_snapshot");
    this.loading = undefined;
    this.generation += 1;
    // Strictly increasing, and past any value an earlier life of this object could have handed out.
    this.epoch = Math.max(this.currentEpoch() + 1, Date.now());
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO epoch (id, value) VALUES (1, ?)", this.epoch);
    // A budget change may switch the dialogs' usage reports on or off: count from a fresh seed.
    this.budget.reset();
  }

  private currentEpoch(): number {
    if (this.epoch === undefined) {
      const row = this.ctx.storage.sql
        .exec<{ value: number }>("SELECT value FROM epoch WHERE id = 1")
        .toArray()[0];
      // No change recorded yet: any fixed value works, as every snapshot so far has the same one.
      this.epoch = row?.value ?? 0;
    }
    return this.epoch;
  }

  /**
   * Reads the snapshot from Postgres; when that fails (or is slow) and an earlier one was stored, serves
   * that copy for a while instead: a stale prompt beats a chat that cannot answer during an outage. An
   * invalidation clears the copy, so a change made before the outage is never undone by it.
   */
  private async loadOrLastKnown(tenantId: string): Promise<TenantSnapshot | null> {
    const copy = this.ctx.storage.sql
      .exec<{ json: string }>("SELECT json FROM last_snapshot WHERE id = 1")
      .toArray()[0];
    // A stored copy is of the current epoch: `invalidate()` deletes it.
    const lastKnown = copy
      ? { ...(JSON.parse(copy.json) as TenantSnapshot), epoch: this.currentEpoch() }
      : undefined;
    if (!lastKnown || lastKnown.tenantId !== tenantId) return this.load(tenantId);
    const generation = this.generation;
    const load = this.load(tenantId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise<"slow">((resolve) => {
      timer = setTimeout(() => resolve("slow"), RELOAD_PATIENCE_MS);
    });
    try {
      const first = await Promise.race([load, patience]);
      if (first !== "slow") return first;
      load.catch(() => {});
      throw new Error("tenant snapshot reload timed out");
    } catch (err) {
      log("warn", "tenant snapshot reload failed; serving the last known one", {
        tenantId,
        error: err instanceof Error ? err.message : String(err),
      });
      if (generation === this.generation)
        this.cached = { snapshot: lastKnown, loadedAt: Date.now() - MAX_AGE_MS + STALE_RETRY_MS };
      return lastKnown;
    } finally {
      clearTimeout(timer);
    }
  }

  private async load(tenantId: string): Promise<TenantSnapshot | null> {
    const generation = this.generation;
    const epoch = this.currentEpoch();
    const handle = openDatabase(this.env, () => tenantId);
    try {
      // One round trip on this cold path: the scoped transaction and the read go together.
      const rows = await handle.once<{
        id: string;
        slug: string;
        name: string;
        locale: string;
        settings: TenantSettings;
        prompt_version: number;
        chunks: ChunkForPrompt[];
        published: { base_prompt: string; chunks: ChunkForPrompt[] } | null;
        webhook_events: string[];
        mcp_servers: McpServerSnapshotRow[];
        galleries: KnowledgeItemForPrompt[];
        documents: KnowledgeItemForPrompt[];
      }>(`
        select t.id, t.slug, t.name, t.locale, t.settings, t.prompt_version,
          coalesce(
            (select json_agg(json_build_object('id', c.id, 'position', c.position, 'question', c.question, 'text', c.text)
                             order by c.position, c.created_at, c.id)
             from prompt_chunks c where c.tenant_id = t.id),
            '[]'::json) as chunks,
          (select json_build_object('base_prompt', r.base_prompt, 'chunks', r.chunks) from prompt_releases r
             where r.tenant_id = t.id order by r.version desc limit 1) as published,
          coalesce((select json_agg(distinct e) from webhooks w cross join unnest(w.events) e where w.tenant_id = t.id),
            '[]'::json) as webhook_events,
          ${MCP_SERVERS_COLUMN},
          coalesce((select json_agg(json_build_object('id', g.id, 'title', g.title, 'description', g.description))
             from (select id, title, description from gallery_groups where tenant_id = t.id
                   order by position, created_at, id limit ${ADMIN_KNOWLEDGE_MAX + 1}) g),
            '[]'::json) as galleries,
          coalesce((select json_agg(json_build_object('id', d.id, 'title', d.title, 'description', d.head))
             from (select id, title, left(text, 300) as head from documents
                   where tenant_id = t.id and status = 'ready'
                   order by created_at desc, id desc limit ${ADMIN_KNOWLEDGE_MAX + 1}) d),
            '[]'::json) as documents
        from tenants t where t.id = '${tenantSetting(tenantId)}'`);
      const row = rows[0];
      const mcpServers = snapshotServers(row?.mcp_servers);
      const snapshot: TenantSnapshot | null = row
        ? {
            tenantId: row.id,
            slug: row.slug,
            name: row.name,
            locale: row.locale,
            settings: row.settings,
            version: row.prompt_version,
            // Never published: the visitor bot has the default base prompt and no chunks.
            userPrompt:
              assembleUserPrompt(row.published?.base_prompt ?? "", row.published?.chunks ?? []) +
              mcpUserSection(mcpServers),
            draftPrompt: assembleUserPrompt(row.settings.basePrompt, row.chunks) + mcpUserSection(mcpServers),
            adminPrompt:
              assembleAdminPrompt(row.chunks, {
                galleries: row.galleries,
                documents: row.documents,
              }) + mcpAdminSection(mcpServers),
            chunkCount: row.chunks.length,
            webhookEvents: row.webhook_events,
            mcpServers,
            epoch,
          }
        : null;
      if (generation === this.generation) {
        this.cached = { snapshot, loadedAt: Date.now() };
        if (snapshot)
          this.ctx.storage.sql.exec(
            "INSERT OR REPLACE INTO last_snapshot (id, json) VALUES (1, ?)",
            JSON.stringify(snapshot),
          );
      }
      return snapshot;
    } finally {
      await handle.close();
    }
  }
}
