import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openUnscopedDatabase } from "../../src/db/client.ts";
import { promptChunks, tenants } from "../../src/db/schema.ts";

const DEMO_ID = "00000000-0000-4000-8000-000000000001";

describe("database driver paths", () => {
  it("Hyperdrive binding -> pg over TCP", async () => {
    const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    expect(handle.driver).toBe("hyperdrive");
    try {
      const rows = await handle.db
        .select({ slug: tenants.slug })
        .from(tenants)
        .where(eq(tenants.id, DEMO_ID));
      expect(rows).toEqual([{ slug: "demo" }]);
    } finally {
      await handle.close();
    }
  });

  it("DATABASE_URL -> Neon serverless driver over a WebSocket proxy", async () => {
    const handle = openUnscopedDatabase({
      DATABASE_URL: env.TEST_DIRECT_DATABASE_URL,
      NEON_WS_PROXY: env.TEST_NEON_WS_PROXY,
    });
    expect(handle.driver).toBe("neon");
    try {
      const rows = await handle.db
        .select({ slug: tenants.slug })
        .from(tenants)
        .where(eq(tenants.id, DEMO_ID));
      expect(rows).toEqual([{ slug: "demo" }]);
      // A transaction holds one session end to end over the socket.
      const inTx = await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local application_name = 'cip-neon-test'`);
        const r = await tx.execute<{ name: string }>(sql`select current_setting('application_name') as name`);
        return r.rows[0]?.name;
      });
      expect(inTx).toBe("cip-neon-test");
    } finally {
      await handle.close();
    }
  });

  it("Hyperdrive wins when both are configured", () => {
    const handle = openUnscopedDatabase({
      HYPERDRIVE: env.HYPERDRIVE,
      DATABASE_URL: env.TEST_DIRECT_DATABASE_URL,
    });
    expect(handle.driver).toBe("hyperdrive");
    return handle.close();
  });

  it("refuses to run without any database, with a clear error", () => {
    expect(() => openUnscopedDatabase({})).toThrow(/No database is configured/);
  });

  it("a closed handle can be closed again without an unhandled rejection", async () => {
    const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    await handle.db.execute(sql`select 1`);
    await handle.close();
    await handle.close();
  });

  it("an unreachable database fails the query, not the process", async () => {
    const handle = openUnscopedDatabase({
      DATABASE_URL: "postgres://u:p@127.0.0.1:1/x",
      NEON_WS_PROXY: env.TEST_NEON_WS_PROXY,
    });
    await expect(handle.db.execute(sql`select 1`)).rejects.toThrow();
    await handle.close();
  });
});

describe("migrations", () => {
  it("create the demo tenant with its prompt chunks in order", async () => {
    const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    try {
      const chunks = await handle.db
        .select({ position: promptChunks.position, question: promptChunks.question })
        .from(promptChunks)
        .where(eq(promptChunks.tenantId, DEMO_ID))
        .orderBy(promptChunks.position);
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      expect(chunks.map((c) => c.position)).toEqual([...chunks.map((c) => c.position)].sort((a, b) => a - b));
    } finally {
      await handle.close();
    }
  });

  it("enforce the chunk length limits in the database too", async () => {
    const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    try {
      await expect(
        handle.db
          .insert(promptChunks)
          .values({ tenantId: DEMO_ID, position: 99, question: "q", text: "x".repeat(2001) }),
      ).rejects.toThrow();
    } finally {
      await handle.close();
    }
  });

  it("index Russian and English passages for full-text search", async () => {
    const handle = openUnscopedDatabase({ HYPERDRIVE: env.HYPERDRIVE });
    try {
      const r = await handle.db.execute<{ ru: boolean; en: boolean }>(sql`
        select (to_tsvector('russian'::regconfig, 'красивые окна') || to_tsvector('english'::regconfig, 'selling windows'))
                 @@ plainto_tsquery('russian', 'окно') as ru,
               (to_tsvector('russian'::regconfig, 'красивые окна') || to_tsvector('english'::regconfig, 'selling windows'))
                 @@ plainto_tsquery('english', 'window') as en`);
      expect(r.rows[0]).toEqual({ ru: true, en: true });
    } finally {
      await handle.close();
    }
  });
});
