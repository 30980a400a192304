import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dialogs, messages } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, readError } from "../helpers/http.ts";

interface Row {
  id: string;
  channel: string;
  visitor_id: string;
  has_lead: boolean;
  message_count: number;
  last_message_preview: string | null;
  last_message_at: string;
}
interface Page {
  items: Row[];
  next_cursor: string | null;
}

/** Inserts a dialog (and its messages, seq 1..n) the way the chat engine would leave them. */
async function seedDialog(
  tenantId: string,
  opts: {
    userId?: string;
    channel?: "web" | "telegram" | "admin";
    hasLead?: boolean;
    at?: string;
    texts?: string[];
  } = {},
): Promise<string> {
  const texts = opts.texts ?? ["hello", "hi, how can I help?"];
  return withDb(async ({ db }) => {
    const [dialog] = await db
      .insert(dialogs)
      .values({
        tenantId,
        channel: opts.channel ?? "web",
        visitorId: `v-${crypto.randomUUID()}`,
        userId: opts.userId ?? null,
        hasLead: opts.hasLead ?? false,
        messageCount: texts.length,
        lastMessagePreview: texts.at(-1)?.slice(0, 100) ?? null,
        ...(opts.at ? { lastMessageAt: sql`${opts.at}::timestamptz` } : {}),
      })
      .returning({ id: dialogs.id });
    const id = dialog?.id as string;
    if (texts.length > 0) {
      await db.insert(messages).values(
        texts.map((content, i) => ({
          tenantId,
          dialogId: id,
          seq: i + 1,
          role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
          content,
        })),
      );
    }
    return id;
  });
}

const list = async (o: { tenantId: string; token: string }, query = ""): Promise<Page> => {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/dialogs${query}`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

async function pageAll(o: Owner, query: string, between?: () => Promise<void>): Promise<Row[]> {
  const seen: Row[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "?";
    const page: Page = await list(o, `${query}${cursor ? `${sep}cursor=${cursor}` : ""}`);
    seen.push(...page.items);
    cursor = page.next_cursor;
    if (between) await between();
  } while (cursor);
  return seen;
}

describe("GET /me/dialogs", () => {
  let owner: Owner;
  let member: Owner;
  let ids: { mine: string; lead: string; tg: string; other: string };

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
    ids = {
      mine: await seedDialog(owner.tenantId, { userId: member.userId, texts: ["Price of 50% off deal?"] }),
      lead: await seedDialog(owner.tenantId, { hasLead: true, texts: ["mail me at a@b.co", "sure"] }),
      tg: await seedDialog(owner.tenantId, { channel: "telegram", texts: ["500 off deal"] }),
      other: await seedDialog(owner.tenantId, { texts: ["under_score and back\\slash"] }),
    };
  });

  it("shows an owner every dialog, newest first, with the row fields", async () => {
    const page = await list(owner);
    expect(page.items.map((d) => d.id)).toEqual([ids.other, ids.tg, ids.lead, ids.mine]);
    expect(page.next_cursor).toBeNull();
    expect(page.items[2]).toMatchObject({ has_lead: true, message_count: 2, last_message_preview: "sure" });
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(
      [
        "channel",
        "created_at",
        "has_lead",
        "id",
        "last_message_at",
        "last_message_preview",
        "message_count",
        "taken_over_at",
        "taken_over_by",
        "title",
        "user_id",
        "visitor_id",
        "unread",
        "archived_at",
      ].sort(),
    );
  });

  it("shows a member only its own dialogs", async () => {
    expect((await list(member)).items.map((d) => d.id)).toEqual([ids.mine]);
  });

  it("filters by channel and lead flag", async () => {
    expect((await list(owner, "?channel=telegram")).items.map((d) => d.id)).toEqual([ids.tg]);
    expect((await list(owner, "?has_lead=true")).items.map((d) => d.id)).toEqual([ids.lead]);
    expect((await list(owner, "?has_lead=false")).items).toHaveLength(3);
    expect((await list(member, "?has_lead=true")).items).toEqual([]);
  });

  it("searches message text literally (wildcards escaped), case-insensitively, in the caller's scope", async () => {
    const ids50 = (await list(owner, `?q=${encodeURIComponent("50%")}`)).items.map((d) => d.id);
    expect(ids50).toEqual([ids.mine]);
    expect((await list(owner, "?q=DEAL")).items.map((d) => d.id)).toEqual([ids.tg, ids.mine]);
    expect((await list(owner, "?q=5_0")).items).toEqual([]);
    expect((await list(owner, "?q=under_score")).items.map((d) => d.id)).toEqual([ids.other]);
    expect((await list(owner, `?q=${encodeURIComponent("k\\s")}`)).items.map((d) => d.id)).toEqual([
      ids.other,
    ]);
    expect((await list(member, "?q=deal")).items.map((d) => d.id)).toEqual([ids.mine]);
    const stranger = await seedOwner();
    await seedDialog(stranger.tenantId, { texts: ["deal"] });
    expect((await list(stranger, "?q=50%25")).items).toEqual([]);
  });

  it.each([
    ["limit=0"],
    ["limit=101"],
    ["limit=abc"],
    ["channel=fax"],
    ["has_lead=maybe"],
    ["cursor=not-a-cursor"],
    [`cursor=${btoa(JSON.stringify(["2026-02-30T00:00:00.000000Z", crypto.randomUUID()]))}`],
    [`cursor=${btoa(JSON.stringify(["x", "y"]))}`],
    ["q="],
    ["q=%00"],
    [`q=${"x".repeat(201)}`],
  ])("?%s -> 422 envelope, never 500", async (query) => {
    const res = await call(`/api/v1/tenants/${owner.tenantId}/me/dialogs?${query}`, {
      headers: bearer(owner.token),
    });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });
});

describe("keyset pagination", () => {
  it("is stable while rows arrive: no duplicates, no skipped older rows, microseconds and ties kept", async () => {
    const owner = await seedOwner();
    const original: string[] = [];
    // 24 dialogs in 8 groups of three sharing one timestamp; groups 1 µs apart, all inside one millisecond
    // pair, so a cursor rounded to milliseconds would skip or repeat rows.
    for (let g = 0; g < 8; g++) {
      for (let k = 0; k < 3; k++) {
        original.push(await seedDialog(owner.tenantId, { at: `2026-03-01T10:00:00.12345${g}Z`, texts: [] }));
      }
    }
    let added = 0;
    const rows = await pageAll(owner, "?limit=5", async () => {
      added += 1;
      await seedDialog(owner.tenantId, { texts: [`new ${added}`] }); // newer than every cursor
    });
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => original.includes(id)).sort()).toEqual([...original].sort());
    const times = rows.filter((r) => original.includes(r.id)).map((r) => r.last_message_at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe("GET /me/dialogs/{dialog_id}", () => {
  let owner: Owner;
  let member: Owner;
  let dialogId: string;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
    dialogId = await seedDialog(owner.tenantId, {
      userId: member.userId,
      texts: Array.from({ length: 7 }, (_, i) => `message ${i + 1}`),
    });
  });

  const get = (o: Owner, id: string, query = "") =>
    call(`/api/v1/tenants/${o.tenantId}/me/dialogs/${id}${query}`, { headers: bearer(o.token) });

  it("returns the dialog with its messages paged by seq", async () => {
    const first = await get(owner, dialogId, "?limit=3");
    expect(first.status).toBe(200);
    const body = (await first.json()) as {
      id: string;
      messages: Array<Record<string, unknown>>;
      next_after_seq: number;
    };
    expect(body.id).toBe(dialogId);
    expect(body.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(body.messages[0]).toMatchObject({
      role: "user",
      content: "message 1",
      commands: [],
      status: "complete",
    });
    expect(Object.keys(body.messages[0] ?? {}).sort()).toEqual(
      ["author_id", "commands", "content", "created_at", "feedback", "id", "role", "seq", "status"].sort(),
    );
    expect(body.next_after_seq).toBe(3);
    const rest = (await (await get(owner, dialogId, "?after_seq=3&limit=10")).json()) as typeof body;
    expect(rest.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(rest.next_after_seq).toBeNull();
  });

  it("lets a member read its own dialog and nobody else's", async () => {
    expect((await get(member, dialogId)).status).toBe(200);
    const otherMember = await seedMember(owner);
    const res = await get(otherMember, dialogId);
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("not_found");
    const anonymous = await seedDialog(owner.tenantId);
    expect((await get(member, anonymous)).status).toBe(404);
  });

  it("answers 404 for a missing dialog or one of another tenant, 422 for a bad id or page", async () => {
    expect((await get(owner, crypto.randomUUID())).status).toBe(404);
    const stranger = await seedOwner();
    const foreign = await seedDialog(stranger.tenantId);
    const res = await get(owner, foreign);
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain("hello");
    expect((await get(owner, "not-a-uuid")).status).toBe(422);
    expect((await get(owner, dialogId, "?after_seq=x")).status).toBe(422);
    expect((await get(owner, dialogId, "?limit=201")).status).toBe(422);
  });
});
