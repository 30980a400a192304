/**
 * Row-level security (migrations 0003 and 0005, docs/security.md): every tenant table hides other tenants'
 * rows from the app's role even when a query has no `tenant_id` filter at all. Each table is seeded with a
 * row for two tenants; a query scoped to one must see, change and create only that tenant's rows. The
 * tenants themselves are found through the `tenant_directory` view, which shows no settings.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase } from "../../src/db/client.ts";
import { withDb } from "../helpers/db.ts";

type Ids = { tenant: string; user: string; dialog: string; group: string; document: string };

/** One row per tenant table; a new tenant table without a seed here fails the coverage test. */
const SEEDS: Record<string, (i: Ids) => string> = {
  users: (i) =>
    `insert into users (id, tenant_id, email, password_hash, role) values ('${i.user}', '${i.tenant}', 'o@${i.tenant}.test', 'x', 'owner')`,
  email_tokens: (i) =>
    `insert into email_tokens (tenant_id, user_id, purpose, email, token_hash, expires_at) values ('${i.tenant}', '${i.user}', 'confirm', 'o@x.test', md5(random()::text), now())`,
  dialogs: (i) =>
    `insert into dialogs (id, tenant_id, channel, visitor_id) values ('${i.dialog}', '${i.tenant}', 'web', 'v1')`,
  messages: (i) =>
    `insert into messages (tenant_id, dialog_id, seq, role, content) values ('${i.tenant}', '${i.dialog}', 1, 'user', 'hi')`,
  prompt_chunks: (i) =>
    `insert into prompt_chunks (tenant_id, position, question, text) values ('${i.tenant}', 1, 'q', 't')`,
  leads: (i) =>
    `insert into leads (tenant_id, kind, value, raw) values ('${i.tenant}', 'email', 'a@b.c', 'a@b.c')`,
  saved_items: (i) =>
    `insert into saved_items (tenant_id, user_id, kind) values ('${i.tenant}', '${i.user}', 'note')`,
  files: (i) =>
    `insert into files (tenant_id, name, content_type, size, r2_key) values ('${i.tenant}', 'f', 'text/plain', 1, '${i.tenant}/f')`,
  gallery_groups: (i) =>
    `insert into gallery_groups (id, tenant_id, title) values ('${i.group}', '${i.tenant}', 'g')`,
  gallery_images: (i) =>
    `insert into gallery_images (tenant_id, group_id, name, content_type, size, r2_key) values ('${i.tenant}', '${i.group}', 'i', 'image/png', 1, '${i.tenant}/i')`,
  documents: (i) =>
    `insert into documents (id, tenant_id, title, source_name, content_type, size, text) values ('${i.document}', '${i.tenant}', 'd', 'd.txt', 'text/plain', 1, 't')`,
  document_passages: (i) =>
    `insert into document_passages (tenant_id, document_id, position, text) values ('${i.tenant}', '${i.document}', 0, 'p')`,
  telegram_bots: (i) =>
    `insert into telegram_bots (tenant_id, bot_token_encrypted, bot_username, webhook_secret_hash) values ('${i.tenant}', 'x', 'b', 'h')`,
  telegram_updates: (i) => `insert into telegram_updates (tenant_id, update_id) values ('${i.tenant}', 1)`,
  prompt_chunk_revisions: (i) =>
    `insert into prompt_chunk_revisions (tenant_id, chunk_id, action, channel) values ('${i.tenant}', gen_random_uuid(), 'create', 'cabinet')`,
  base_prompt_revisions: (i) =>
    `insert into base_prompt_revisions (tenant_id, action, after, channel) values ('${i.tenant}', 'update', 'b', 'cabinet')`,
  usage_daily: (i) =>
    `insert into usage_daily (tenant_id, day, dialog_id) values ('${i.tenant}', current_date, '${i.dialog}')`,
  message_feedback: (i) =>
    `insert into message_feedback (tenant_id, dialog_id, message_id, rating) values ('${i.tenant}', '${i.dialog}', gen_random_uuid(), 'up')`,
  dialog_reads: (i) =>
    `insert into dialog_reads (tenant_id, user_id, dialog_id) values ('${i.tenant}', '${i.user}', '${i.dialog}')`,
  prompt_releases: (i) => `insert into prompt_releases (tenant_id, version) values ('${i.tenant}', 1)`,
  mcp_servers: (i) =>
    `insert into mcp_servers (tenant_id, name, url) values ('${i.tenant}', 'srv', 'https://mcp.example.com/mcp')`,
  operator_audit: (i) =>
    `insert into operator_audit (tenant_id, actor_email, action, target_tenant_id) values ('${i.tenant}', 'op@x.test', 'tenant.block', gen_random_uuid())`,
  support_tickets: (i) =>
    `insert into support_tickets (tenant_id, operator_email, expires_at) values ('${i.tenant}', 'op@x.test', now())`,
  mail_deliveries: (i) =>
    `insert into mail_deliveries (tenant_id, kind, to_email, status) values ('${i.tenant}', 'confirm', 'o@x.test', 'failed')`,
  api_keys: (i) =>
    `insert into api_keys (tenant_id, created_by, name, key_hash, prefix, scopes) values ('${i.tenant}', '${i.user}', 'k', md5(random()::text), 'cip_x', '{read}')`,
  telegram_owner_links: (i) =>
    `insert into telegram_owner_links (code_hash, tenant_id, user_id, expires_at) values (md5(random()::text), '${i.tenant}', '${i.user}', now())`,
  webhooks: (i) =>
    `insert into webhooks (tenant_id, url, events, secret_encrypted) values ('${i.tenant}', 'https://h.test/x', '{lead.created}', 'x')`,
  webhook_deliveries: (i) =>
    `insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, attempt, attempted_at, duration_ms) select '${i.tenant}', w.id, gen_random_uuid(), 'lead.created', 1, now(), 5 from webhooks w where w.tenant_id = '${i.tenant}'`,
};

const newIds = (): Ids => ({
  tenant: crypto.randomUUID(),
  user: crypto.randomUUID(),
  dialog: crypto.randomUUID(),
  group: crypto.randomUUID(),
  document: crypto.randomUUID(),
});

async function tenantTables(): Promise<string[]> {
  return withDb(async ({ db }) => {
    const r = await db.execute<{ table_name: string }>(sql`
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by 1`);
    return r.rows.map((row) => row.table_name);
  });
}

describe("row-level security", () => {
  const a = newIds();
  const b = newIds();
  let tables: string[] = [];
  let scopedA: DbHandle;

  beforeAll(async () => {
    tables = await tenantTables();
    await withDb(async ({ db }) => {
      for (const ids of [a, b]) {
        await db.execute(
          sql.raw(
            `insert into tenants (id, slug, name) values ('${ids.tenant}', 'rls-${ids.tenant.slice(0, 8)}', 'R')`,
          ),
        );
        for (const seed of Object.values(SEEDS)) await db.execute(sql.raw(seed(ids)));
      }
    });
    scopedA = openDatabase(env, () => a.tenant);
  });

  afterAll(async () => {
    await scopedA?.close();
    await withDb(({ db }) => db.execute(sql`delete from tenants where id in (${a.tenant}, ${b.tenant})`));
  });

  it("covers every tenant table, each with RLS enabled and forced and a policy", async () => {
    expect(Object.keys(SEEDS).sort()).toEqual(tables);
    const rows = await withDb(async ({ db }) => {
      const r = await db.execute<{
        relname: string;
        enabled: boolean;
        forced: boolean;
        policies: number;
      }>(sql`
        select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
               (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname = any(string_to_array(${[...tables, "tenants"].join(",")}, ','))`);
      return r.rows;
    });
    expect(rows).toHaveLength(tables.length + 1);
    for (const row of rows) expect(row, row.relname).toMatchObject({ enabled: true, forced: true });
    for (const row of rows) expect(row.policies, row.relname).toBeGreaterThan(0);
  });

  it("runs the app's queries as cip_app, a role that owns nothing and cannot bypass RLS", async () => {
    const who = await scopedA.db.execute<{ role: string; tenant: string }>(
      sql`select current_user as role, current_setting('app.tenant_id') as tenant`,
    );
    expect(who.rows[0]).toEqual({ role: "cip_app", tenant: a.tenant });
    // Embedded PGlite has one session: the other connection below waits for this transaction to end.
    await scopedA.finish();
    const role = await withDb(async ({ db }) => {
      const r = await db.execute<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>(sql`
        select rolsuper, rolbypassrls,
               (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
        from pg_roles r where rolname = 'cip_app'`);
      return r.rows[0];
    });
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it("shows a query without a tenant filter only the scoped tenant's rows, table by table", async () => {
    for (const table of tables) {
      const r = await scopedA.db.execute<{ tenant_id: string }>(sql.raw(`select tenant_id from ${table}`));
      const seen = new Set(r.rows.map((row) => row.tenant_id));
      expect([...seen], table).toEqual([a.tenant]);
    }
    await scopedA.finish();
  });

  it("lets an unfiltered update or delete touch only the scoped tenant's rows", async () => {
    for (const table of tables) {
      const r = await scopedA.db.execute(sql.raw(`update ${table} set tenant_id = tenant_id`));
      await scopedA.finish();
      const own = await withDb(({ db }) =>
        db.execute<{ n: number }>(
          sql.raw(`select count(*)::int as n from ${table} where tenant_id = '${a.tenant}'`),
        ),
      );
      expect(r.rowCount, table).toBe(own.rows[0]?.n);
    }
    const deleted = await scopedA.db.execute(sql`delete from leads`);
    expect(deleted.rowCount).toBe(1);
    await scopedA.finish();
    const bLeads = await withDb(({ db }) =>
      db.execute(sql`select 1 from leads where tenant_id = ${b.tenant}`),
    );
    expect(bLeads.rows).toHaveLength(1);
  });

  it("refuses to write a row for another tenant", async () => {
    for (const table of ["leads", "prompt_chunks", "mail_deliveries"]) {
      const seed = SEEDS[table];
      if (!seed) throw new Error(table);
      await expect(scopedA.db.execute(sql.raw(seed(b))), table).rejects.toMatchObject({
        cause: expect.objectContaining({ code: "42501" }),
      });
      await scopedA.finish();
    }
    await expect(
      scopedA.db.execute(sql`update tenants set name = 'taken' where id = ${b.tenant}`),
    ).resolves.toMatchObject({ rowCount: 0 });
    await scopedA.finish();
  });

  it("shows no tenant rows at all when no tenant is set, and the directory only through its view", async () => {
    const none = openDatabase(env, () => null);
    try {
      for (const table of [...tables, "tenants"]) {
        const r = await none.db.execute(sql.raw(`select 1 from ${table} limit 1`));
        expect(r.rows, table).toHaveLength(0);
        await none.finish();
      }
      const dir = await none.db.execute<Record<string, unknown>>(
        sql`select * from tenant_directory where id in (${a.tenant}, ${b.tenant}) order by slug`,
      );
      expect(dir.rows).toHaveLength(2);
      for (const row of dir.rows) expect(Object.keys(row).sort()).toEqual(["id", "locale", "name", "slug"]);
    } finally {
      await none.close();
    }
  });

  it("never shows a tenant's settings (its secrets) to another tenant or to no tenant", async () => {
    const secret = `sealed-${crypto.randomUUID()}`;
    await withDb(({ db }) =>
      db.execute(
        sql`update tenants set settings = ${JSON.stringify({ turnstile: { siteKey: "k", secretEncrypted: secret } })}::jsonb where id = ${b.tenant}`,
      ),
    );
    const none = openDatabase(env, () => null);
    try {
      for (const handle of [none, scopedA]) {
        const direct = await handle.db.execute(sql`select settings from tenants where id = ${b.tenant}`);
        expect(direct.rows).toHaveLength(0);
        await handle.finish();
        const all = await handle.db.execute<{ t: string }>(
          sql`select row_to_json(t)::text as t from tenants t`,
        );
        expect(all.rows.some((r) => r.t.includes(secret))).toBe(false);
        await handle.finish();
        await expect(
          handle.db.execute(sql`select settings from tenant_directory where id = ${b.tenant}`),
        ).rejects.toMatchObject({ cause: expect.objectContaining({ code: "42703" }) });
        await handle.finish();
        // The view is read-only for the app, and a tenant's row stays its own to change.
        await expect(
          handle.db.execute(sql`update tenant_directory set name = 'taken' where id = ${b.tenant}`),
        ).rejects.toMatchObject({ cause: expect.objectContaining({ code: "42501" }) });
        await handle.finish();
      }
      const scopedB = openDatabase(env, () => b.tenant);
      const own = await scopedB
        .once<{ secret: string }>(
          `select settings #>> '{turnstile,secretEncrypted}' as secret from tenants where id = '${b.tenant}'`,
        )
        .finally(() => scopedB.close());
      expect(own).toEqual([{ secret }]);
    } finally {
      await none.close();
    }
  });

  it("lets the directory view's owner read four columns of tenants and nothing else", async () => {
    const facts = await withDb(async ({ db }) => {
      const r = await db.execute<{
        rolsuper: boolean;
        rolbypassrls: boolean;
        rolcanlogin: boolean;
        owned: string;
      }>(sql`
        select rolsuper, rolbypassrls, rolcanlogin,
               (select string_agg(c.relname, ',') from pg_class c where c.relowner = r.oid) as owned
        from pg_roles r where rolname = 'cip_directory'`);
      const columns = await db.execute<{ column_name: string }>(sql`
        select column_name from information_schema.column_privileges
        where grantee = 'cip_directory' and table_name = 'tenants' and privilege_type = 'SELECT' order by 1`);
      return { role: r.rows[0], columns: columns.rows.map((c) => c.column_name) };
    });
    expect(facts.role).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcanlogin: false,
      owned: "tenant_directory",
    });
    expect(facts.columns).toEqual(["id", "locale", "name", "slug"]);
  });

  it("runs a one-round-trip statement (the cold prompt load) in the same scope", async () => {
    const once = openDatabase(env, () => a.tenant);
    try {
      const rows = await once.once<{ tenant_id: string; role: string }>(
        "select tenant_id, current_user as role from prompt_chunks",
      );
      expect(rows).toEqual([{ tenant_id: a.tenant, role: "cip_app" }]);
    } finally {
      await once.close();
    }
  });

  it("keeps a service's own transaction inside the scope (a savepoint), rolled back alone", async () => {
    await expect(
      scopedA.db.transaction(async (tx) => {
        await tx.execute(
          sql`insert into leads (tenant_id, kind, value, raw) values (${a.tenant}, 'email', 'sp@x.y', 'sp')`,
        );
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    const after = await scopedA.db.execute<{ role: string }>(sql`select current_user as role`);
    expect(after.rows[0]?.role).toBe("cip_app");
    const sp = await scopedA.db.execute(sql`select 1 from leads where value = 'sp@x.y'`);
    expect(sp.rows).toHaveLength(0);
    await scopedA.finish();
  });
});
