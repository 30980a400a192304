import { beforeAll, describe, expect, it } from "vitest";
import { dialogs, galleryGroups, galleryImages, leads, messages } from "../../src/db/schema.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";

interface Item {
  id: string;
  kind: string;
  ref: string | null;
  note: string | null;
  created_at: string;
}
interface Page {
  items: Item[];
  next_cursor: string | null;
}

/** A dialog with one message and one lead; returns their ids. */
async function seedConversation(tenantId: string, userId: string | null) {
  return withDb(async ({ db }) => {
    const [d] = await db
      .insert(dialogs)
      .values({ tenantId, channel: "web", visitorId: "v1", userId, hasLead: true })
      .returning({ id: dialogs.id });
    const dialogId = d?.id as string;
    const [m] = await db
      .insert(messages)
      .values({ tenantId, dialogId, seq: 1, role: "user", content: "call me +1 202 555 0100" })
      .returning({ id: messages.id });
    const [l] = await db
      .insert(leads)
      .values({
        tenantId,
        dialogId,
        kind: "phone",
        value: `+1202555${Math.floor(Math.random() * 9000 + 1000)}`,
        raw: "x",
      })
      .returning({ id: leads.id });
    return { dialogId, messageId: m?.id as string, leadId: l?.id as string };
  });
}

async function seedImage(tenantId: string): Promise<string> {
  return withDb(async ({ db }) => {
    const [g] = await db
      .insert(galleryGroups)
      .values({ tenantId, title: "Works" })
      .returning({ id: galleryGroups.id });
    const [i] = await db
      .insert(galleryImages)
      .values({
        tenantId,
        groupId: g?.id as string,
        name: "a.png",
        contentType: "image/png",
        size: 1,
        r2Key: `${tenantId}/${crypto.randomUUID()}`,
      })
      .returning({ id: galleryImages.id });
    return i?.id as string;
  });
}

const base = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/saved`;
const save = (o: Owner, body: unknown) => callJson("POST", base(o), body, bearer(o.token));
const list = async (o: Owner, query = ""): Promise<Page> => {
  const res = await call(`${base(o)}${query}`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};
const remove = (o: Owner, id: string) =>
  call(`${base(o)}/${id}`, { method: "DELETE", headers: bearer(o.token) });

describe("saved items", () => {
  let owner: Owner;
  let member: Owner;
  let ownerTalk: Awaited<ReturnType<typeof seedConversation>>;
  let memberTalk: Awaited<ReturnType<typeof seedConversation>>;
  let foreignTalk: Awaited<ReturnType<typeof seedConversation>>;

  beforeAll(async () => {
    owner = await seedOwner();
    member = await seedMember(owner);
    ownerTalk = await seedConversation(owner.tenantId, null);
    memberTalk = await seedConversation(owner.tenantId, member.userId);
    const stranger = await seedOwner();
    foreignTalk = await seedConversation(stranger.tenantId, null);
  });

  it("saves a note and answers 201 with the item", async () => {
    const res = await save(member, {
      kind: "note",
      note: "  call back on Monday ",
      ref: "https://x.example",
    });
    expect(res.status).toBe(201);
    const item = (await res.json()) as Item;
    expect(item).toMatchObject({ kind: "note", note: "call back on Monday", ref: "https://x.example" });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("checks references: same tenant, and for a member only its own dialogs", async () => {
    const ok = async (o: Owner, kind: string, ref: string) =>
      expect((await save(o, { kind, ref })).status).toBe(201);
    const refused = async (o: Owner, kind: string, ref: string) => {
      const res = await save(o, { kind, ref });
      expect(res.status).toBe(422);
      expect((await readError(res)).error.issues?.[0]?.path).toBe("ref");
    };
    await ok(owner, "message", ownerTalk.messageId);
    await ok(owner, "message", memberTalk.messageId);
    await ok(owner, "lead", ownerTalk.leadId);
    await ok(member, "message", memberTalk.messageId);
    await ok(member, "lead", memberTalk.leadId);
    await refused(member, "message", ownerTalk.messageId);
    await refused(member, "lead", ownerTalk.leadId);
    await refused(owner, "message", foreignTalk.messageId);
    await refused(owner, "lead", foreignTalk.leadId);
    await refused(owner, "message", crypto.randomUUID());
    await refused(owner, "lead", ownerTalk.messageId);
    await refused(owner, "message", "not-a-uuid");
    const image = await seedImage(owner.tenantId);
    await ok(member, "image", image);
    await refused(owner, "image", crypto.randomUUID());
    await refused(owner, "image", await seedImage((await seedOwner()).tenantId));
  });

  it.each([
    ["an unknown kind", { kind: "video", ref: "x" }],
    ["a note without text", { kind: "note" }],
    ["a blank note", { kind: "note", note: "   " }],
    ["a message without ref", { kind: "message" }],
    ["a long note", { kind: "note", note: "n".repeat(2001) }],
    ["a long ref", { kind: "note", note: "n", ref: "r".repeat(201) }],
    ["a NUL", { kind: "note", note: "a\u0000b" }],
    ["an extra field", { kind: "note", note: "n", user_id: "someone" }],
    ["null", null],
  ])("refuses %s with 422", async (_label, body) => {
    const res = await save(owner, body);
    expect(res.status).toBe(422);
    expect((await readError(res)).error.code).toBe("validation_failed");
  });

  it("accepts exactly 2000 characters of note", async () => {
    expect((await save(owner, { kind: "note", note: "n".repeat(2000) })).status).toBe(201);
  });

  it("lists only the caller's items, newest first, by kind, in stable pages", async () => {
    const u = await seedMember(owner);
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push(((await (await save(u, { kind: "note", note: `n${i}` })).json()) as Item).id);
    await save(u, { kind: "message", ref: ownerTalk.messageId }).then((r) => expect(r.status).toBe(422));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(u, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
      await save(u, { kind: "note", note: "arrived while paging" });
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    expect((await list(u, "?kind=message")).items).toEqual([]);
    expect((await list(u, "?kind=note&limit=100")).items).toHaveLength(7 + 3);
    const ownerIds = (await list(owner, "?limit=100")).items.map((i) => i.id);
    expect(ownerIds.some((id) => made.includes(id))).toBe(false);
    expect((await call(`${base(u)}?kind=video`, { headers: bearer(u.token) })).status).toBe(422);
    expect((await call(`${base(u)}?cursor=***`, { headers: bearer(u.token) })).status).toBe(422);
  });

  it("deletes the caller's own item (204) and nobody else's (404)", async () => {
    const item = (await (await save(member, { kind: "note", note: "mine" })).json()) as Item;
    const res = await remove(owner, item.id);
    expect(res.status).toBe(404);
    expect((await readError(res)).error.code).toBe("not_found");
    expect((await remove(member, item.id)).status).toBe(204);
    expect((await remove(member, item.id)).status).toBe(404);
    expect((await remove(member, "nope")).status).toBe(422);
  });
});
