import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { promptChunks, tenants } from "../../src/db/schema.ts";
import { CHUNKS_PER_TENANT_MAX } from "../../src/services/prompt/prompt-chunks.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { publishPrompt } from "../helpers/prompt.ts";

interface Chunk {
  id: string;
  position: number;
  question: string;
  text: string;
}
interface Preview {
  prompt: string;
  version: number;
  chunk_count: number;
}

const path = (o: Owner, rest = "") => `/api/v1/tenants/${o.tenantId}/me/prompt/chunks${rest}`;
const add = (o: Owner, body: unknown) => callJson("POST", path(o), body, bearer(o.token));
const patch = (o: Owner, id: string, body: unknown) =>
  callJson("PATCH", path(o, `/${id}`), body, bearer(o.token));
const remove = (o: Owner, id: string) =>
  call(path(o, `/${id}`), { method: "DELETE", headers: bearer(o.token) });
const listAll = async (o: Owner) =>
  ((await (await call(path(o), { headers: bearer(o.token) })).json()) as { items: Chunk[] }).items;
const preview = async (o: Owner): Promise<Preview> => {
  const res = await call(`/api/v1/tenants/${o.tenantId}/me/prompt/preview`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Preview;
};
const order = async (o: Owner) => (await listAll(o)).map((c) => `${c.position}:${c.question}`);

describe("prompt chunks", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("adds, lists, edits, reorders and deletes, with dense positions and a version bump each time", async () => {
    const versions = [(await preview(owner)).version];
    const step = async () => {
      const v = (await preview(owner)).version;
      expect(v).toBeGreaterThan(versions.at(-1) as number);
      versions.push(v);
    };
    const created: Chunk[] = [];
    for (const q of ["A", "B", "C"]) {
      const res = await add(owner, { question: q, text: `answer ${q}` });
      expect(res.status).toBe(201);
      created.push((await res.json()) as Chunk);
      await step();
    }
    expect(created.map((c) => c.position)).toEqual([1, 2, 3]);
    const [a, b, c] = created as [Chunk, Chunk, Chunk];

    const first = await add(owner, { question: "Z", text: "first", position: 1 });
    expect(((await first.json()) as Chunk).position).toBe(1);
    await step();
    expect(await order(owner)).toEqual(["1:Z", "2:A", "3:B", "4:C"]);

    expect((await patch(owner, c.id, { position: 1 })).status).toBe(200);
    await step();
    expect(await order(owner)).toEqual(["1:C", "2:Z", "3:A", "4:B"]);
    expect((await patch(owner, c.id, { position: 99 })).status).toBe(200); // clamped to the end
    await step();
    expect(await order(owner)).toEqual(["1:Z", "2:A", "3:B", "4:C"]);
    const moved = await patch(owner, a.id, { position: 3, text: "answer A2" });
    expect(await moved.json()).toMatchObject({ id: a.id, position: 3, question: "A", text: "answer A2" });
    await step();
    expect(await order(owner)).toEqual(["1:Z", "2:B", "3:A", "4:C"]);

    expect((await remove(owner, b.id)).status).toBe(204);
    await step();
    expect(await order(owner)).toEqual(["1:Z", "2:A", "3:C"]);
    expect((await remove(owner, b.id)).status).toBe(404);

    const p = await preview(owner);
    expect(p.chunk_count).toBe(3);
    const at = (s: string) => p.prompt.indexOf(s);
    expect(at("### Z\nfirst")).toBeGreaterThan(0);
    expect(at("### Z")).toBeLessThan(at("### A\nanswer A2"));
    expect(at("### A")).toBeLessThan(at("### C\nanswer C"));
  });

  it("takes effect on the next chat turn: the tenant's cached prompt is dropped on every change", async () => {
    const o = await seedOwner();
    const cache = env.TENANTS.getByName(o.tenantId);
    expect((await cache.snapshot(o.tenantId))?.draftPrompt).not.toContain("Opening hours");
    const res = await add(o, { question: "Opening hours", text: "9 to 18" });
    const chunk = (await res.json()) as Chunk;
    // The draft (the sandbox's prompt) changes at once; visitors' only when published.
    expect((await cache.snapshot(o.tenantId))?.draftPrompt).toContain("### Opening hours\n9 to 18");
    expect((await cache.snapshot(o.tenantId))?.userPrompt).not.toContain("Opening hours");
    await publishPrompt(o);
    expect((await cache.snapshot(o.tenantId))?.userPrompt).toContain("### Opening hours\n9 to 18");
    await patch(o, chunk.id, { text: "10 to 19" });
    expect((await cache.snapshot(o.tenantId))?.draftPrompt).toContain("### Opening hours\n10 to 19");
    await publishPrompt(o);
    expect((await cache.snapshot(o.tenantId))?.userPrompt).toContain("### Opening hours\n10 to 19");
    await remove(o, chunk.id);
    expect((await cache.snapshot(o.tenantId))?.draftPrompt).not.toContain("Opening hours");
    await publishPrompt(o);
    expect((await cache.snapshot(o.tenantId))?.userPrompt).not.toContain("Opening hours");
  });

  it("uses the tenant's base prompt override when set", async () => {
    const o = await seedOwner();
    await withDb(({ db }) =>
      db
        .update(tenants)
        .set({ settings: sql`${tenants.settings} || '{"basePrompt": "You sell bicycles."}'::jsonb` })
        .where(eq(tenants.id, o.tenantId)),
    );
    await add(o, { question: "Q", text: "T" });
    const p = await preview(o);
    expect(p.prompt.startsWith("You sell bicycles.")).toBe(true);
    expect(p.prompt).toContain("### Q\nT");
  });

  it("accepts exactly 1000/2000 characters (code points) and refuses one more with the field named", async () => {
    const ok = await add(owner, { question: "q".repeat(1000), text: "t".repeat(2000) });
    expect(ok.status).toBe(201);
    const emoji = await add(owner, { question: "😀".repeat(1000), text: "ё".repeat(2000) });
    expect(emoji.status).toBe(201);
    for (const [body, field] of [
      [{ question: "q".repeat(1001), text: "t" }, "question"],
      [{ question: "q", text: "t".repeat(2001) }, "text"],
      [{ question: "😀".repeat(1001), text: "t" }, "question"],
    ] as const) {
      const res = await add(owner, body);
      expect(res.status).toBe(422);
      expect((await readError(res)).error.issues?.map((i) => i.path)).toEqual([field]);
    }
    const id = ((await ok.json()) as Chunk).id;
    const res = await patch(owner, id, { text: "t".repeat(2001) });
    expect(res.status).toBe(422);
    expect((await readError(res)).error.issues?.[0]?.path).toBe("text");
    expect((await patch(owner, id, { text: "t".repeat(2000) })).status).toBe(200);
  });

  it.each([
    ["missing text", { question: "q" }],
    ["blank question", { question: "   ", text: "t" }],
    ["wrong types", { question: 1, text: ["t"] }],
    ["position 0", { question: "q", text: "t", position: 0 }],
    ["fractional position", { question: "q", text: "t", position: 1.5 }],
    ["unknown field", { question: "q", text: "t", id: "x" }],
    ["NUL character", { question: "q\u0000", text: "t" }],
    ["null", null],
    ["an array", []],
  ])("refuses %s with a 4xx envelope", async (_label, body) => {
    const res = await add(owner, body);
    expect(res.status).toBe(422);
    await readError(res);
  });

  it("refuses an empty PATCH, malformed JSON, and unknown or foreign chunks", async () => {
    const chunk = (await (await add(owner, { question: "p", text: "t" })).json()) as Chunk;
    expect((await patch(owner, chunk.id, {})).status).toBe(422);
    const bad = await callJson("PATCH", path(owner, `/${chunk.id}`), '{"text":', bearer(owner.token));
    expect(bad.status).toBe(400);
    expect((await readError(bad)).error.code).toBe("invalid_json");
    expect((await patch(owner, crypto.randomUUID(), { text: "x" })).status).toBe(404);
    expect((await patch(owner, "nope", { text: "x" })).status).toBe(422);
    const other = await seedOwner();
    const theirs = (await (await add(other, { question: "secret", text: "s" })).json()) as Chunk;
    expect((await patch(owner, theirs.id, { text: "hijack" })).status).toBe(404);
    expect((await remove(owner, theirs.id)).status).toBe(404);
    expect((await listAll(other))[0]?.text).toBe("s");
  });

  it("caps the number of chunks per tenant with 409", async () => {
    const o = await seedOwner();
    await withDb(({ db }) =>
      db.insert(promptChunks).values(
        Array.from({ length: CHUNKS_PER_TENANT_MAX - 1 }, (_, i) => ({
          tenantId: o.tenantId,
          position: i + 1,
          question: `q${i}`,
          text: "t",
        })),
      ),
    );
    expect((await add(o, { question: "last", text: "t" })).status).toBe(201);
    const res = await add(o, { question: "one too many", text: "t" });
    expect(res.status).toBe(409);
    expect((await readError(res)).error.code).toBe("quota_exceeded");
    expect((await preview(o)).chunk_count).toBe(CHUNKS_PER_TENANT_MAX);
  });

  it("is for owners only", async () => {
    const member = await seedMember(owner);
    for (const res of [
      await call(path(member), { headers: bearer(member.token) }),
      await add(member, { question: "q", text: "t" }),
      await call(`/api/v1/tenants/${owner.tenantId}/me/prompt/preview`, { headers: bearer(member.token) }),
    ]) {
      expect(res.status).toBe(403);
      expect((await readError(res)).error.code).toBe("forbidden");
    }
  });
});
