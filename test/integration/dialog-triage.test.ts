/**
 * Dialog triage (docs/cabinet.md): unread per cabinet user (from Postgres: the sync's
 * `last_visitor_message_at` against the user's read mark), archiving, deleting for good (Postgres and the
 * dialog object; leads kept, unlinked), and the list filters `unread`, `archived`, `from`, `to` (also
 * `from`/`to` on leads), with keyset pages under filters.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dialogReads, dialogs, leads, messageFeedback, messages } from "../../src/db/schema.ts";
import type { DialogObject } from "../../src/durable-objects/dialog-object.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, chatJson, storedMessages, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { readSse } from "../helpers/sse.ts";

interface Row {
  id: string;
  unread: boolean;
  archived_at: string | null;
  last_message_at: string;
}
interface Page {
  items: Row[];
  next_cursor: string | null;
}

const dialogsPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/dialogs`;

async function list(o: Owner, query = ""): Promise<Page> {
  const res = await call(`${dialogsPath(o)}${query}`, { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

const ids = async (o: Owner, query = "") => (await list(o, query)).items.map((d) => d.id);
const unreadOf = async (o: Owner, id: string, query = "") =>
  (await list(o, query)).items.find((d) => d.id === id)?.unread;
const open = (o: Owner, id: string) => call(`${dialogsPath(o)}/${id}`, { headers: bearer(o.token) });
const archive = (o: Owner, id: string, body: unknown) =>
  callJson("PATCH", `${dialogsPath(o)}/${id}`, body, bearer(o.token));
const remove = (o: Owner, id: string) =>
  call(`${dialogsPath(o)}/${id}`, { method: "DELETE", headers: bearer(o.token) });

/** One visitor turn through the JSON chat, waited for until Postgres has `count` messages. */
async function visitorTurn(o: Owner, text: string, userId: string, dialogId?: string): Promise<string> {
  const res = await chatJson(o.tenantId, {
    user_id: userId,
    message: text,
    ...(dialogId ? { dialog_id: dialogId } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const id = ((await res.json()) as { dialog_id: string }).dialog_id;
  const before = dialogId ? 2 : 0;
  await storedMessages(id, before + 2);
  return id;
}

/** A dialog row as the sync leaves it (seeded directly: a member's dialog both users can see). */
async function seedDialog(
  tenantId: string,
  opts: { userId?: string; at?: string; visitorAt?: string | null } = {},
): Promise<string> {
  return withDb(async ({ db }) => {
    const at = opts.at ?? new Date().toISOString();
    const [row] = await db
      .insert(dialogs)
      .values({
        tenantId,
        channel: "web",
        visitorId: `v-${crypto.randomUUID()}`,
        userId: opts.userId ?? null,
        messageCount: 1,
        lastMessageAt: sql`${at}::timestamptz`,
        lastVisitorMessageAt: opts.visitorAt === null ? null : sql`${opts.visitorAt ?? at}::timestamptz`,
      })
      .returning({ id: dialogs.id });
    return row?.id as string;
  });
}

async function expectError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  const body = await readError(res);
  if (code) expect(body.error.code).toBe(code);
}

describe("unread", () => {
  let owner: Owner;
  let member: Owner;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
  });

  it("is true for a new dialog, false once opened, true again after a new visitor message", async () => {
    const person = visitor();
    const id = await visitorTurn(owner, "Hello, do you ship abroad?", person);
    expect(await unreadOf(owner, id)).toBe(true);
    const opened = await open(owner, id);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as Row).unread).toBe(false);
    expect(await unreadOf(owner, id)).toBe(false);
    // Reading again (a later page) changes nothing.
    expect(
      (await call(`${dialogsPath(owner)}/${id}?after_seq=1`, { headers: bearer(owner.token) })).status,
    ).toBe(200);
    expect(await unreadOf(owner, id)).toBe(false);
    await visitorTurn(owner, "And to Norway?", person, id);
    expect(await unreadOf(owner, id)).toBe(true);
    expect(await ids(owner, "?unread=true")).toContain(id);
    expect(await ids(owner, "?unread=false")).not.toContain(id);
    await open(owner, id);
    expect(await ids(owner, "?unread=true")).not.toContain(id);
    expect(await ids(owner, "?unread=false")).toContain(id);
  });

  it("is kept per user: an owner opening a dialog leaves it unread for a member", async () => {
    const id = await seedDialog(owner.tenantId, { userId: member.userId });
    expect(await unreadOf(owner, id)).toBe(true);
    expect(await unreadOf(member, id)).toBe(true);
    expect((await open(owner, id)).status).toBe(200);
    expect(await unreadOf(owner, id)).toBe(false);
    expect(await unreadOf(member, id)).toBe(true);
    expect((await open(member, id)).status).toBe(200);
    expect(await unreadOf(member, id)).toBe(false);
    // A visitor message reaches Postgres (the sync moves the column forward): unread for both again.
    await withDb(({ db }) =>
      db
        .update(dialogs)
        .set({ lastVisitorMessageAt: sql`now() + interval '1 second'` })
        .where(eq(dialogs.id, id)),
    );
    expect(await unreadOf(owner, id)).toBe(true);
    expect(await unreadOf(member, id)).toBe(true);
  });

  it("a message still on its way to Postgres stays unread after an opening that could not show it", async () => {
    const id = await seedDialog(owner.tenantId, { at: "2026-05-01T10:00:00Z" });
    await open(owner, id);
    // The visitor wrote before the opening, but the row only now arrives: still new to the owner.
    await withDb(({ db }) =>
      db
        .update(dialogs)
        .set({ lastVisitorMessageAt: sql`'2026-05-01T10:00:01Z'::timestamptz` })
        .where(eq(dialogs.id, id)),
    );
    expect(await unreadOf(owner, id)).toBe(true);
  });

  it("a dialog without a visitor message is never unread; an unknown or foreign dialog leaves no mark", async () => {
    const quiet = await seedDialog(owner.tenantId, { visitorAt: null });
    expect(await unreadOf(owner, quiet)).toBe(false);
    const stranger = await seedOwner();
    const foreign = await seedDialog(stranger.tenantId);
    expect((await open(owner, foreign)).status).toBe(404);
    expect((await open(member, await seedDialog(owner.tenantId))).status).toBe(404);
    const marks = await withDb(({ db }) =>
      db.select().from(dialogReads).where(eq(dialogReads.dialogId, foreign)),
    );
    expect(marks).toEqual([]);
    expect(await unreadOf(stranger, foreign)).toBe(true);
  });

  it("?unread and ?archived take only true or false", async () => {
    for (const q of ["unread=yes", "unread=", "archived=1", "archived=maybe"]) {
      await expectError(await call(`${dialogsPath(owner)}?${q}`, { headers: bearer(owner.token) }), 422);
    }
  });
});

describe("archive", () => {
  let owner: Owner;
  let member: Owner;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
  });

  it("moves a dialog out of the default list and back", async () => {
    const kept = await seedDialog(owner.tenantId);
    const id = await seedDialog(owner.tenantId);
    const res = await archive(owner, id, { archived: true });
    expect(res.status).toBe(200);
    const state = (await res.json()) as { id: string; archived_at: string | null };
    expect(state.id).toBe(id);
    expect(Date.parse(state.archived_at ?? "")).not.toBeNaN();
    expect(await ids(owner)).toEqual([kept]);
    expect(await ids(owner, "?archived=false")).toEqual([kept]);
    const archived = (await list(owner, "?archived=true")).items;
    expect(archived.map((d) => d.id)).toEqual([id]);
    expect(archived[0]?.archived_at).toBe(state.archived_at);
    // Archiving again keeps the first time; the filters combine.
    const again = (await (await archive(owner, id, { archived: true })).json()) as typeof state;
    expect(again.archived_at).toBe(state.archived_at);
    expect(await ids(owner, "?archived=true&unread=true")).toEqual([id]);
    await open(owner, id);
    expect(await ids(owner, "?archived=true&unread=true")).toEqual([]);
    const back = await archive(owner, id, { archived: false });
    expect(((await back.json()) as typeof state).archived_at).toBeNull();
    expect((await ids(owner)).sort()).toEqual([kept, id].sort());
    expect(await ids(owner, "?archived=true")).toEqual([]);
  });

  it("a member archives its own dialogs only; bad bodies are 4xx", async () => {
    const mine = await seedDialog(owner.tenantId, { userId: member.userId });
    const notMine = await seedDialog(owner.tenantId);
    expect((await archive(member, mine, { archived: true })).status).toBe(200);
    expect(await ids(member, "?archived=true")).toEqual([mine]);
    await expectError(await archive(member, notMine, { archived: true }), 404, "not_found");
    await expectError(await archive(owner, crypto.randomUUID(), { archived: true }), 404, "not_found");
    await expectError(await archive(owner, "not-a-uuid", { archived: true }), 422);
    for (const body of [{}, { archived: "yes" }, { archived: true, extra: 1 }, null]) {
      await expectError(await archive(owner, notMine, body), 422);
    }
    await expectError(await archive(owner, notMine, "{not json"), 400);
    expect((await list(owner, "?archived=true")).items.map((d) => d.id)).toEqual([mine]);
  });
});

describe("delete", () => {
  let owner: Owner;
  let member: Owner;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
  });

  it("removes the dialog for good: Postgres, the dialog object, the read marks; leads stay unlinked", async () => {
    const person = visitor();
    const id = await visitorTurn(owner, "Please mail me at triage-lead@example.com", person);
    await open(owner, id);
    const [message] = await storedMessages(id, 2);
    await withDb(({ db }) =>
      db.insert(messageFeedback).values({
        tenantId: owner.tenantId,
        dialogId: id,
        messageId: message?.id as string,
        rating: "up",
      }),
    );
    const [lead] = await withDb(({ db }) => db.select().from(leads).where(eq(leads.dialogId, id)));
    expect(lead?.value).toBe("triage-lead@example.com");

    await expectError(await remove(member, id), 403);
    expect((await remove(owner, id)).status).toBe(204);

    await withDb(async ({ db }) => {
      expect(await db.select().from(dialogs).where(eq(dialogs.id, id))).toEqual([]);
      expect(await db.select().from(messages).where(eq(messages.dialogId, id))).toEqual([]);
      expect(await db.select().from(dialogReads).where(eq(dialogReads.dialogId, id))).toEqual([]);
      expect(await db.select().from(messageFeedback).where(eq(messageFeedback.dialogId, id))).toEqual([]);
      const [kept] = await db
        .select()
        .from(leads)
        .where(eq(leads.id, lead?.id as string));
      expect(kept).toMatchObject({ value: "triage-lead@example.com", dialogId: null });
    });
    const stored = await runInDurableObject(env.DIALOGS.getByName(id), (_o: DialogObject, state) => {
      const count = (table: string) =>
        Number(state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n);
      return {
        messages: count("messages"),
        meta: count("meta"),
        leads: count("leads"),
        outbox: count("outbox"),
      };
    });
    expect(stored).toEqual({ messages: 0, meta: 0, leads: 0, outbox: 0 });

    await expectError(await open(owner, id), 404, "not_found");
    const leadList = await call(`/api/v1/tenants/${owner.tenantId}/me/leads`, {
      headers: bearer(owner.token),
    });
    const leadItems = ((await leadList.json()) as { items: Array<{ id: string; dialog_id: string | null }> })
      .items;
    expect(leadItems.find((l) => l.id === lead?.id)?.dialog_id).toBeNull();

    // The visitor naming the old dialog is refused; without a name its next message starts a new one.
    await expectError(
      await chatJson(owner.tenantId, { user_id: person, message: "hi again", dialog_id: id }),
      404,
    );
    const fresh = await visitorTurn(owner, "hi again", person);
    expect(fresh).not.toBe(id);
    expect((await storedMessages(fresh, 2)).map((m) => m.content)).not.toContain(
      "Please mail me at triage-lead@example.com",
    );
    expect(await withDb(({ db }) => db.select().from(dialogs).where(eq(dialogs.id, id)))).toEqual([]);

    await expectError(await remove(owner, id), 404, "not_found");
  });

  it("during a running answer: the answer stops and nothing of the dialog comes back", async () => {
    const person = visitor();
    const id = await visitorTurn(owner, "first question", person);
    const tag = await script({ reply: "word ".repeat(200), chunkSize: 5, delayMs: 20 });
    const res = await chat(owner.tenantId, { user_id: person, dialog_id: id, message: `long one ${tag}` });
    expect(res.status).toBe(200);
    const events = readSse(res);
    await storedMessages(id, 3);
    expect((await remove(owner, id)).status).toBe(204);
    const last = (await events).at(-1);
    expect(last?.event === "error" || last?.data.status === "stopped").toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await withDb(async ({ db }) => {
      expect(await db.select().from(dialogs).where(eq(dialogs.id, id))).toEqual([]);
      expect(await db.select().from(messages).where(eq(messages.dialogId, id))).toEqual([]);
    });
    const left = await runInDurableObject(env.DIALOGS.getByName(id), (_o: DialogObject, state) =>
      Number(state.storage.sql.exec("SELECT count(*) AS n FROM messages").one().n),
    );
    expect(left).toBe(0);
  });

  it("refuses members, strangers, foreign dialogs and bad ids", async () => {
    const id = await seedDialog(owner.tenantId, { userId: member.userId });
    await expectError(await remove(member, id), 403);
    await expectError(await remove(owner, "not-a-uuid"), 422);
    await expectError(await remove(owner, crypto.randomUUID()), 404, "not_found");
    const stranger = await seedOwner();
    await expectError(await remove(stranger, id), 404, "not_found");
    await expectError(
      await call(`${dialogsPath(owner)}/${id}`, { method: "DELETE", headers: bearer(stranger.token) }),
      403,
    );
    expect(await ids(owner)).toContain(id);
  });
});

describe("date filters", () => {
  let owner: Owner;
  let days: { first: string; lateSecond: string; third: string };

  beforeAll(async () => {
    owner = await seedOwner();
    days = {
      first: await seedDialog(owner.tenantId, { at: "2026-03-01T10:00:00Z" }),
      lateSecond: await seedDialog(owner.tenantId, { at: "2026-03-02T23:59:59.999999Z" }),
      third: await seedDialog(owner.tenantId, { at: "2026-03-03T00:00:00Z" }),
    };
  });

  it("bounds dialogs by last activity: days whole, datetimes exact", async () => {
    expect(await ids(owner, "?from=2026-03-02&to=2026-03-02")).toEqual([days.lateSecond]);
    expect(await ids(owner, "?from=2026-03-02")).toEqual([days.third, days.lateSecond]);
    expect(await ids(owner, "?to=2026-03-01")).toEqual([days.first]);
    expect(await ids(owner, `?from=${encodeURIComponent("2026-03-02T23:59:59.999999Z")}`)).toEqual([
      days.third,
      days.lateSecond,
    ]);
    expect(await ids(owner, `?to=${encodeURIComponent("2026-03-03T02:00:00+02:00")}`)).toEqual([
      days.third,
      days.lateSecond,
      days.first,
    ]);
    expect(await ids(owner, `?to=${encodeURIComponent("2026-03-02T23:59:59.999998Z")}`)).toEqual([
      days.first,
    ]);
    expect(await ids(owner, "?from=2026-04-01")).toEqual([]);
  });

  it("keeps keyset pages whole under filters", async () => {
    const inRange: string[] = [];
    for (let i = 0; i < 7; i++) {
      inRange.push(await seedDialog(owner.tenantId, { at: `2026-06-10T10:00:00.00000${i % 3}Z` }));
    }
    await seedDialog(owner.tenantId, { at: "2026-06-11T10:00:00Z" });
    await archive(owner, inRange[6] as string, { archived: true });
    await open(owner, inRange[5] as string);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(
        owner,
        `?from=2026-06-10&to=2026-06-10&unread=true&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.items.map((d) => d.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(inRange.slice(0, 5).sort());
  });

  it("bounds leads by creation time", async () => {
    const made = await withDb(async ({ db }) => {
      const rows = await db
        .insert(leads)
        .values(
          ["2026-03-01T10:00:00Z", "2026-03-02T12:00:00Z", "2026-03-03T00:00:00Z"].map((at, i) => ({
            tenantId: owner.tenantId,
            kind: "email" as const,
            value: `lead${i}@example.com`,
            raw: `lead${i}@example.com`,
            createdAt: new Date(at),
          })),
        )
        .returning({ id: leads.id, value: leads.value });
      return rows;
    });
    const leadValues = async (query: string) => {
      const res = await call(`/api/v1/tenants/${owner.tenantId}/me/leads${query}`, {
        headers: bearer(owner.token),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Array<{ value: string }> }).items.map((l) => l.value);
    };
    expect(made).toHaveLength(3);
    expect(await leadValues("?from=2026-03-02&to=2026-03-02")).toEqual(["lead1@example.com"]);
    expect(await leadValues("?from=2026-03-02")).toEqual(["lead2@example.com", "lead1@example.com"]);
    expect(await leadValues(`?to=${encodeURIComponent("2026-03-02T12:00:00Z")}`)).toEqual([
      "lead1@example.com",
      "lead0@example.com",
    ]);
    expect(await leadValues("?from=2026-03-01&limit=1")).toEqual(["lead2@example.com"]);
  });

  it.each([
    "from=2026-02-30",
    "from=yesterday",
    "to=2026-13-01",
    "to=0000-01-01",
    "from=2026-03-01T25:00:00Z",
    "from=2026-03-05&to=2026-03-01",
    `from=${encodeURIComponent("2026-03-02T10:00:00Z")}&to=${encodeURIComponent("2026-03-02T09:00:00Z")}`,
  ])("?%s -> 422 on dialogs and leads, never 500", async (query) => {
    for (const path of ["dialogs", "leads"]) {
      const res = await call(`/api/v1/tenants/${owner.tenantId}/me/${path}?${query}`, {
        headers: bearer(owner.token),
      });
      await expectError(res, 422, "validation_failed");
    }
  });
});

describe("access", () => {
  it("needs a token on every triage route and filter, and refuses another tenant's", async () => {
    const owner = await seedOwner();
    const stranger = await seedOwner();
    const id = await seedDialog(owner.tenantId);
    const base = dialogsPath(owner);
    const requests: Array<[string, RequestInit]> = [
      [`${base}?unread=true`, {}],
      [`${base}?archived=true&from=2026-01-01`, {}],
      [`/api/v1/tenants/${owner.tenantId}/me/leads?from=2026-01-01`, {}],
      [`${base}/${id}`, { method: "PATCH", body: JSON.stringify({ archived: true }) }],
      [`${base}/${id}`, { method: "DELETE" }],
    ];
    for (const [path, init] of requests) {
      const headers = { "content-type": "application/json" };
      await expectError(await call(path, { ...init, headers }), 401);
      await expectError(
        await call(path, { ...init, headers: { ...headers, ...bearer(stranger.token) } }),
        403,
      );
    }
    // A stranger's own tenant path does not reach this tenant's dialog either.
    await expectError(await archive(stranger, id, { archived: true }), 404);
    expect(await ids(stranger, "?archived=true")).toEqual([]);
    const row = await withDb(({ db }) => db.select().from(dialogs).where(eq(dialogs.id, id)));
    expect(row[0]?.archivedAt).toBeNull();
  });
});
