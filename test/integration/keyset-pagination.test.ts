/**
 * Every paginated list pages with one keyset helper (src/db/keyset.ts), exact to the microsecond: rows
 * written in one statement share their timestamp, and paging one row at a time still shows each of them
 * exactly once.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { exactTimestamp } from "../../src/db/keyset.ts";
import { files, leads, savedItems } from "../../src/db/schema.ts";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { readSse } from "../helpers/sse.ts";

/** Walks a list page by page (`limit` rows each) and returns every id it was shown, in order. */
async function walk(owner: Owner, path: string, limit = 1): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await call(`/api/v1/tenants/${owner.tenantId}/me/${path}?${query}`, {
      headers: bearer(owner.token),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string }>; next_cursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...body.items.map((i) => i.id));
    cursor = body.next_cursor;
    if (!cursor) return seen;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  }
  throw new Error("the list did not end");
}

/** The distinct exact timestamps of some rows: one means they all tie. */
const distinct = (rows: Array<{ at: string }>) => new Set(rows.map((r) => r.at)).size;

describe("keyset pagination over rows that share a timestamp", () => {
  it("leads: three contacts of one message, page size 1, each listed exactly once", async () => {
    const owner = await seedOwner();
    const tag = await script({ reply: "Спасибо!" });
    await readSse(
      await chat(owner.tenantId, {
        user_id: visitor(),
        message: `Пишите ann@shop.example или bob@shop.example, звоните +7 912 345 67 89 ${tag}`,
      }),
    );
    let stored: Array<{ id: string; at: string }> = [];
    for (let i = 0; i < 100 && stored.length < 3; i++) {
      stored = await withDb((h) =>
        h.db
          .select({ id: leads.id, at: exactTimestamp(leads.createdAt) })
          .from(leads)
          .where(eq(leads.tenantId, owner.tenantId)),
      );
      if (stored.length < 3) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored).toHaveLength(3);
    // The dialog's sync stores a message's leads in one statement: they tie on created_at.
    expect(distinct(stored)).toBe(1);
    const seen = await walk(owner, "leads");
    expect(seen).toHaveLength(3);
    expect([...seen].sort()).toEqual(stored.map((r) => r.id).sort());
    // The tie is broken by id, newest-first order being id descending within it.
    expect(seen).toEqual([...seen].sort().reverse());
    // Two at a time ends with the lone third one.
    expect(await walk(owner, "leads", 2)).toEqual(seen);
  });

  it("saved items and files: rows of one INSERT, page size 1, each listed exactly once", async () => {
    const owner = await seedOwner();
    const saved = await withDb((h) =>
      h.db
        .insert(savedItems)
        .values(
          ["one", "two", "three", "four"].map((note) => ({
            tenantId: owner.tenantId,
            userId: owner.userId,
            kind: "note" as const,
            note,
          })),
        )
        .returning({ id: savedItems.id, at: exactTimestamp(savedItems.createdAt) }),
    );
    expect(distinct(saved)).toBe(1);
    const seenSaved = await walk(owner, "saved");
    expect([...seenSaved].sort()).toEqual(saved.map((r) => r.id).sort());
    expect(new Set(seenSaved).size).toBe(4);

    const stored = await withDb((h) =>
      h.db
        .insert(files)
        .values(
          [1, 2, 3].map((n) => {
            const id = crypto.randomUUID();
            return {
              id,
              tenantId: owner.tenantId,
              uploadedBy: owner.userId,
              name: `f${n}.txt`,
              contentType: "text/plain",
              size: n,
              r2Key: `t/${owner.tenantId}/files/${id}`,
            };
          }),
        )
        .returning({ id: files.id, at: exactTimestamp(files.createdAt) }),
    );
    expect(distinct(stored)).toBe(1);
    const seenFiles = await walk(owner, "files");
    expect([...seenFiles].sort()).toEqual(stored.map((r) => r.id).sort());
    expect(new Set(seenFiles).size).toBe(3);
  });

  it("refuses a cursor it did not make with a 422 naming cursor, on every list", async () => {
    const owner = await seedOwner();
    const old = btoa(`2026-03-01T10:00:00.123Z|${crypto.randomUUID()}`);
    for (const path of ["leads", "saved", "files", "documents", "dialogs"]) {
      const res = await call(`/api/v1/tenants/${owner.tenantId}/me/${path}?cursor=${old}`, {
        headers: bearer(owner.token),
      });
      expect(res.status, path).toBe(422);
      const body = (await res.json()) as { error: { issues?: Array<{ path: string }> } };
      expect(
        body.error.issues?.some((i) => i.path.includes("cursor")),
        path,
      ).toBe(true);
    }
  });
});
