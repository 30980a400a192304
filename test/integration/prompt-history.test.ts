/** Prompt history: every chunk change recorded with author and channel, listed newest first, restorable. */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { promptChunkRevisions, promptChunks, tenants } from "../../src/db/schema.ts";
import { CHUNKS_PER_TENANT_MAX } from "../../src/services/prompt/prompt-chunks.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chat, visitor } from "../helpers/chat.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { requestsFor, script } from "../helpers/model.ts";
import { publishPrompt } from "../helpers/prompt.ts";
import { readSse } from "../helpers/sse.ts";

interface State {
  position: number;
  question: string;
  text: string;
}
interface Revision {
  id: string;
  chunk_id: string;
  action: "create" | "update" | "delete" | "restore";
  before: State | null;
  after: State | null;
  channel: "cabinet" | "admin_chat";
  author: { id: string; email: string; name: string | null } | null;
  chunk_exists: boolean;
  created_at: string;
}
interface Page {
  items: Revision[];
  next_cursor: string | null;
}
interface Chunk extends State {
  id: string;
}

const chunks = (o: Owner, rest = "") => `/api/v1/tenants/${o.tenantId}/me/prompt/chunks${rest}`;
const history = (o: Owner, query = "") => `/api/v1/tenants/${o.tenantId}/me/chunks/history${query}`;
const restorePath = (o: Owner, id: string) => `/api/v1/tenants/${o.tenantId}/me/chunks/history/${id}/restore`;

async function add(o: Owner, body: Record<string, unknown>): Promise<Chunk> {
  const res = await callJson("POST", chunks(o), body, bearer(o.token));
  expect(res.status).toBe(201);
  return (await res.json()) as Chunk;
}
async function patch(o: Owner, id: string, body: Record<string, unknown>): Promise<Response> {
  return callJson("PATCH", chunks(o, `/${id}`), body, bearer(o.token));
}
async function list(o: Owner, query = ""): Promise<Page> {
  const res = await call(history(o, query), { headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}
async function restore(o: Owner, revisionId: string): Promise<{ chunk: Chunk; revision: Revision | null }> {
  const res = await call(restorePath(o, revisionId), { method: "POST", headers: bearer(o.token) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { chunk: Chunk; revision: Revision | null };
}
const listChunks = async (o: Owner) =>
  ((await (await call(chunks(o), { headers: bearer(o.token) })).json()) as { items: Chunk[] }).items;
const promptVersion = (tenantId: string) =>
  withDb(async ({ db }) => {
    const [row] = await db.select({ v: tenants.promptVersion }).from(tenants).where(eq(tenants.id, tenantId));
    return row?.v ?? 0;
  });
const block = (...lines: string[]) => `[EXECUTE]\n${lines.join("\n")}\n[/EXECUTE]`;

describe("recording", () => {
  it("records create, edit, move and delete from the cabinet with the owner as author, newest first", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Hours?", text: "9 to 18" });
    const b = await add(o, { question: "Delivery?", text: "By courier" });
    expect((await patch(o, a.id, { text: "10 to 19" })).status).toBe(200);
    expect((await patch(o, a.id, { position: 2 })).status).toBe(200);
    expect((await call(chunks(o, `/${b.id}`), { method: "DELETE", headers: bearer(o.token) })).status).toBe(
      204,
    );

    const { items, next_cursor } = await list(o);
    expect(next_cursor).toBeNull();
    expect(items.map((r) => [r.action, r.chunk_id])).toEqual([
      ["delete", b.id],
      ["update", a.id],
      ["update", a.id],
      ["create", b.id],
      ["create", a.id],
    ]);
    for (const r of items) {
      expect(r.channel).toBe("cabinet");
      expect(r.author).toEqual({ id: o.userId, email: o.email, name: null });
    }
    const [del, move, edit, , create] = items as [Revision, Revision, Revision, Revision, Revision];
    expect(create.before).toBeNull();
    expect(create.after).toEqual({ position: 1, question: "Hours?", text: "9 to 18" });
    expect(edit.before).toEqual({ position: 1, question: "Hours?", text: "9 to 18" });
    expect(edit.after).toEqual({ position: 1, question: "Hours?", text: "10 to 19" });
    expect(move.before?.position).toBe(1);
    expect(move.after).toEqual({ position: 2, question: "Hours?", text: "10 to 19" });
    // Chunk b moved up to 1 when a moved down; it is deleted from there.
    expect(del.before).toEqual({ position: 1, question: "Delivery?", text: "By courier" });
    expect(del.after).toBeNull();
    expect(del.chunk_exists).toBe(false);
    expect(create.chunk_exists).toBe(true);
    expect(Date.parse(create.created_at)).toBeLessThanOrEqual(Date.parse(del.created_at));

    const onlyA = await list(o, `?chunk_id=${a.id}`);
    expect(onlyA.items.map((r) => r.action)).toEqual(["update", "update", "create"]);
  });

  it("records nothing for a refused change or a patch that changes nothing", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Q", text: "T" });
    expect((await patch(o, a.id, { text: "t".repeat(2001) })).status).toBe(422);
    expect((await patch(o, crypto.randomUUID(), { text: "x" })).status).toBe(404);
    expect((await patch(o, a.id, { text: "T", position: 1 })).status).toBe(200);
    expect((await list(o)).items.map((r) => r.action)).toEqual(["create"]);
  });

  it("records ADD_CHUNK, EDIT_CHUNK and DELETE_CHUNK of the admin chat with channel admin_chat and the owner", async () => {
    const o = await seedOwner();
    const path = `/api/v1/tenants/${o.tenantId}/admin/chat/message`;
    const say = async (message: string, dialogId?: string) => {
      const res = await callJson("POST", path, { message, dialog_id: dialogId }, bearer(o.token));
      expect(res.status).toBe(200);
      return (await res.json()) as { reply: string; dialog_id: string };
    };
    const addTag = await script({ reply: block("ADD_CHUNK", "question=Часы?", "text=С 9 до 18.") });
    const first = await say(`Мы работаем с 9 ${addTag}`);
    const [chunk] = await listChunks(o);
    expect(chunk?.text).toBe("С 9 до 18.");
    const editTag = await script({ reply: block("EDIT_CHUNK", `id=${chunk?.id}`, "text=С 10 до 19.") });
    await say(`Теперь с 10 ${editTag}`, first.dialog_id);
    const delTag = await script({ reply: block("DELETE_CHUNK", `id=${chunk?.id}`) });
    await say(`Удали ${delTag}`, first.dialog_id);

    const { items } = await list(o);
    expect(items.map((r) => [r.action, r.channel, r.author?.id, r.chunk_id])).toEqual([
      ["delete", "admin_chat", o.userId, chunk?.id],
      ["update", "admin_chat", o.userId, chunk?.id],
      ["create", "admin_chat", o.userId, chunk?.id],
    ]);
    expect(items[1]?.before?.text).toBe("С 9 до 18.");
    expect(items[1]?.after?.text).toBe("С 10 до 19.");
  });

  it("keeps the order of several changes made in one admin-chat turn", async () => {
    const o = await seedOwner();
    const path = `/api/v1/tenants/${o.tenantId}/admin/chat/message`;
    const blocks = ["A", "B", "C"].map((q) => block("ADD_CHUNK", `question=${q}?`, `text=${q}.`)).join(" ");
    for (let turn = 0; turn < 3; turn += 1) {
      const tag = await script({ reply: blocks });
      expect((await callJson("POST", path, { message: tag }, bearer(o.token))).status).toBe(200);
      const { items } = await list(o, "?limit=3");
      expect(items.map((r) => r.after?.question)).toEqual(["C?", "B?", "A?"]);
      expect(items.map((r) => r.after?.position)).toEqual([3 * turn + 3, 3 * turn + 2, 3 * turn + 1]);
    }
  });

  it("pages with a cursor without repeating or skipping, and refuses a cursor it did not make", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Q", text: "v0" });
    for (let i = 1; i <= 6; i += 1) expect((await patch(o, a.id, { text: `v${i}` })).status).toBe(200);
    const all = (await list(o, "?limit=100")).items.map((r) => r.id);
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(o, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const bad = await call(history(o, "?cursor=not-a-cursor"), { headers: bearer(o.token) });
    expect(bad.status).toBe(422);
    expect((await readError(bad)).error.issues?.[0]?.path).toBe("cursor");
  });
});

describe("restoring", () => {
  it("restores an edit: the old text is back, as a new restore revision, and the prompt version moves", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Hours?", text: "9 to 18" });
    await add(o, { question: "Other", text: "x" });
    await patch(o, a.id, { question: "Opening hours?", text: "10 to 19" });
    const [, , create] = (await list(o)).items as [Revision, Revision, Revision];
    expect(create.action).toBe("create");

    const version = await promptVersion(o.tenantId);
    const { chunk, revision } = await restore(o, create.id);
    expect(chunk).toMatchObject({ id: a.id, position: 1, question: "Hours?", text: "9 to 18" });
    expect(revision).toMatchObject({
      action: "restore",
      chunk_id: a.id,
      channel: "cabinet",
      author: { id: o.userId },
      before: { position: 1, question: "Opening hours?", text: "10 to 19" },
      after: { position: 1, question: "Hours?", text: "9 to 18" },
      chunk_exists: true,
    });
    expect(await promptVersion(o.tenantId)).toBeGreaterThan(version);
    expect((await list(o)).items[0]?.id).toBe(revision?.id);

    // Restoring the state the chunk already has changes nothing and records nothing.
    const again = await restore(o, create.id);
    expect(again.revision).toBeNull();
    expect((await list(o)).items).toHaveLength(4);
  });

  it("restores a deleted chunk under its old id at its old position", async () => {
    const o = await seedOwner();
    await add(o, { question: "First", text: "1" });
    const b = await add(o, { question: "Second", text: "2" });
    await add(o, { question: "Third", text: "3" });
    expect((await call(chunks(o, `/${b.id}`), { method: "DELETE", headers: bearer(o.token) })).status).toBe(
      204,
    );
    const [del] = (await list(o)).items as [Revision];
    expect(del).toMatchObject({ action: "delete", chunk_exists: false });

    const { chunk, revision } = await restore(o, del.id);
    expect(chunk).toMatchObject({ id: b.id, position: 2, question: "Second", text: "2" });
    expect(revision).toMatchObject({ action: "restore", before: null, chunk_exists: true });
    expect((await listChunks(o)).map((c) => `${c.position}:${c.question}`)).toEqual([
      "1:First",
      "2:Second",
      "3:Third",
    ]);
    expect((await list(o, `?chunk_id=${b.id}`)).items.map((r) => [r.action, r.chunk_exists])).toEqual([
      ["restore", true],
      ["delete", true],
      ["create", true],
    ]);
  });

  it("takes effect on the next chat turn", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Price?", text: "Ten euros" });
    await patch(o, a.id, { text: "Twelve euros" });
    await publishPrompt(o);
    const warm = await script({ reply: "ok" });
    await readSse(await chat(o.tenantId, { user_id: visitor(), message: warm }));
    expect((await requestsFor(warm))[0]?.messages[0]?.content).toContain("Twelve euros");

    const create = (await list(o)).items.find((r) => r.action === "create") as Revision;
    await restore(o, create.id);
    await publishPrompt(o);
    const seen = await script({ reply: "ok" });
    await readSse(await chat(o.tenantId, { user_id: visitor(), message: seen }));
    const system = (await requestsFor(seen))[0]?.messages[0]?.content ?? "";
    expect(system).toContain("### Price?\nTen euros");
    expect(system).not.toContain("Twelve euros");
  });

  it("refuses to re-create a chunk beyond the tenant's cap, and a state over the length limits", async () => {
    const o = await seedOwner();
    const a = await add(o, { question: "Doomed", text: "soon gone" });
    await call(chunks(o, `/${a.id}`), { method: "DELETE", headers: bearer(o.token) });
    const [del] = (await list(o)).items as [Revision];
    await withDb(({ db }) =>
      db.insert(promptChunks).values(
        Array.from({ length: CHUNKS_PER_TENANT_MAX }, (_, i) => ({
          tenantId: o.tenantId,
          position: i + 1,
          question: `q${i}`,
          text: "t",
        })),
      ),
    );
    const full = await call(restorePath(o, del.id), { method: "POST", headers: bearer(o.token) });
    expect(full.status).toBe(409);
    expect((await readError(full)).error.code).toBe("quota_exceeded");

    const [tooLong] = await withDb(({ db }) =>
      db
        .insert(promptChunkRevisions)
        .values({
          tenantId: o.tenantId,
          chunkId: a.id,
          action: "update",
          before: null,
          after: { position: 1, question: "q", text: "t".repeat(2001) },
          channel: "cabinet",
        })
        .returning({ id: promptChunkRevisions.id }),
    );
    const res = await call(restorePath(o, tooLong?.id ?? ""), { method: "POST", headers: bearer(o.token) });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("text");
    const stored = await withDb(({ db }) =>
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(promptChunks)
        .where(and(eq(promptChunks.tenantId, o.tenantId), eq(promptChunks.id, a.id))),
    );
    expect(stored[0]?.n).toBe(0);
  });
});

describe("access", () => {
  it("is for the tenant's owners: no token 401, member 403, another tenant's owner 403, foreign revision 404", async () => {
    const o = await seedOwner();
    const member = await seedMember(o);
    const other = await seedOwner();
    const a = await add(o, { question: "Secret", text: "Only mine" });
    const [mine] = (await list(o)).items as [Revision];
    await add(other, { question: "Theirs", text: "x" });
    const [theirs] = (await list(other)).items as [Revision];

    for (const headers of [{}, bearer(member.token), bearer(other.token)]) {
      const expected = "authorization" in headers ? 403 : 401;
      const get = await call(history(o), { headers });
      expect(get.status).toBe(expected);
      expect(await get.text()).not.toContain("Only mine");
      const post = await call(restorePath(o, mine.id), { method: "POST", headers });
      expect(post.status).toBe(expected);
    }
    // Another tenant's revision through the owner's own tenant path: as unknown as a missing one.
    for (const id of [theirs.id, crypto.randomUUID()]) {
      const res = await call(restorePath(o, id), { method: "POST", headers: bearer(o.token) });
      expect(res.status).toBe(404);
      expect((await readError(res)).error.code).toBe("not_found");
    }
    expect((await list(o, `?chunk_id=${(await listChunks(other))[0]?.id}`)).items).toEqual([]);
    const bad = await call(restorePath(o, "not-a-uuid"), { method: "POST", headers: bearer(o.token) });
    expect(bad.status).toBe(422);
    expect((await listChunks(o))[0]).toMatchObject({ id: a.id, text: "Only mine" });
    expect((await listChunks(other))[0]?.question).toBe("Theirs");
  });
});
