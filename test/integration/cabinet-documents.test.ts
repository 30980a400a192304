import { beforeAll, describe, expect, it } from "vitest";
import { createBuiltinKnowledge } from "../../src/services/knowledge/builtin.ts";
import { CORPUS } from "../fixtures/corpus.ts";
import { makePdf } from "../fixtures/tiny-pdf.ts";
import { PNG, rawInit, uploadMultipart, uploadRaw } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, readError } from "../helpers/http.ts";

interface Doc {
  id: string;
  title: string;
  source_name: string;
  content_type: string;
  size: number;
  passage_count: number;
  text?: string;
}
interface Hit {
  document_id: string;
  title: string;
  snippet: string;
  rank: number;
}

let a: Owner;
let b: Owner;
const ids: Record<string, string> = {};
const docsOf = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/documents`;
const encode = (text: string) => new TextEncoder().encode(text);

async function upload(o: Owner, bytes: Uint8Array<ArrayBuffer>, name: string, type: string, title?: string) {
  const res = await uploadMultipart(docsOf(o), bytes, o.token, {
    name,
    type,
    ...(title ? { query: { title } } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Doc;
}

async function search(o: Owner, q: string): Promise<Hit[]> {
  const res = await call(`${docsOf(o)}/search?q=${encodeURIComponent(q)}`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Hit[] }).items;
}

beforeAll(async () => {
  [a, b] = await Promise.all([seedOwner(), seedOwner()]);
  for (const doc of CORPUS) ids[doc.key] = (await upload(a, encode(doc.text), doc.name, doc.type)).id;
});

describe("documents: upload and extraction", () => {
  it("indexes text, markdown and HTML, with titles found in the documents", async () => {
    const res = await call(docsOf(a), { headers: bearer(a.token) });
    const { items } = (await res.json()) as { items: Doc[] };
    const byId = new Map(items.map((d) => [d.id, d]));
    expect(byId.get(ids["ru-delivery"] ?? "")).toMatchObject({
      title: "Доставка и оплата",
      content_type: "text/markdown",
    });
    expect(byId.get(ids["en-returns"] ?? "")).toMatchObject({
      title: "Returns & refunds",
      content_type: "text/html",
    });
    expect(byId.get(ids["ru-windows"] ?? "")).toMatchObject({ title: "okna", content_type: "text/plain" });
    for (const doc of items) expect(doc.passage_count).toBeGreaterThanOrEqual(1);
  });

  it("strips scripts and styles from HTML and decodes entities", async () => {
    const res = await call(`${docsOf(a)}/${ids["en-returns"]}`, { headers: bearer(a.token) });
    const doc = (await res.json()) as Doc;
    expect(doc.text).toContain("within 14 days.");
    expect(doc.text).toContain("five business days — no questions asked");
    expect(doc.text).not.toMatch(/tracking|color:red|<p>|&amp;/);
  });

  it("extracts the text of a PDF in the Worker", async () => {
    const pdf = makePdf("Прайс-лист", ["Price list for PVC windows.", "Цена за окно от пяти тысяч рублей."]);
    const doc = await upload(a, pdf, "price.pdf", "application/octet-stream");
    expect(doc).toMatchObject({ title: "Прайс-лист", content_type: "application/pdf", size: pdf.length });
    const full = (await (await call(`${docsOf(a)}/${doc.id}`, { headers: bearer(a.token) })).json()) as Doc;
    expect(full.text).toContain("Price list for PVC windows.");
    expect(full.text).toContain("Цена за окно от пяти тысяч рублей.");
    const hits = await search(a, "цены на окна");
    expect(hits.map((h) => h.document_id)).toContain(doc.id);
    const del = await call(`${docsOf(a)}/${doc.id}`, { method: "DELETE", headers: bearer(a.token) });
    expect(del.status).toBe(204);
  });

  it("splits a long document into passages of at most 1200 characters", async () => {
    const sentence = "Каждый монтажник проходит обучение и сдаёт экзамен по технике безопасности. ";
    const text = Array.from({ length: 12 }, (_, i) => `Раздел ${i + 1}. ${sentence.repeat(4)}`).join("\n\n");
    const doc = await upload(b, encode(text), "long.txt", "text/plain", "Обучение");
    expect(doc.title).toBe("Обучение");
    expect(doc.passage_count).toBeGreaterThanOrEqual(3);
    await withDb(async ({ db }) => {
      const rows = await db.query.documentPassages.findMany({
        where: (p, { eq }) => eq(p.documentId, doc.id),
        orderBy: (p, { asc }) => asc(p.position),
      });
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i));
      for (const row of rows) expect(row.text.length).toBeLessThanOrEqual(1200);
    });
  });

  it("refuses images, empty documents and documents without text", async () => {
    const png = await uploadRaw(docsOf(a), PNG, a.token, { name: "scan.txt", type: "text/plain" });
    expect(png.status).toBe(415);
    const blank = await uploadRaw(docsOf(a), encode("  \n\n  "), a.token, {
      name: "blank.txt",
      type: "text/plain",
    });
    expect(blank.status).toBe(422);
    const empty = await uploadRaw(docsOf(a), new Uint8Array(0), a.token, { name: "e.txt" });
    expect(empty.status).toBe(400);
  });
});

describe("documents: retrieval", () => {
  it("finds the Russian document first for a Russian query in another word form", async () => {
    const hits = await search(a, "окна");
    expect(hits[0]?.document_id).toBe(ids["ru-windows"]);
    expect(hits[0]?.snippet).toMatch(/окно/i);
    expect(hits[0]?.snippet).not.toMatch(/<b>|<\/b>/);
    expect(hits.map((h) => h.document_id)).not.toContain(ids["en-windows"]);
    expect((await search(a, "сколько стоит доставку?"))[0]?.document_id).toBe(ids["ru-delivery"]);
  });

  it("finds the English document first for an English query", async () => {
    const hits = await search(a, "windows installation");
    expect(hits[0]?.document_id).toBe(ids["en-windows"]);
    expect(hits.map((h) => h.document_id)).not.toContain(ids["en-returns"]);
    expect((await search(a, "refund"))[0]?.document_id).toBe(ids["en-returns"]);
    expect(await search(a, "the and or")).toEqual([]);
  });

  it("is scoped by tenant, and the knowledge provider sees the same", async () => {
    expect(await search(b, "окна")).toEqual([]);
    await withDb(async ({ db }) => {
      const knowledge = createBuiltinKnowledge(db, "http://cip.test");
      const hits = await knowledge.search(a.tenantId, "окно", 3);
      expect(hits[0]).toMatchObject({ documentId: ids["ru-windows"], title: "okna" });
      expect(hits[0]?.rank).toBeGreaterThan(0);
      expect(await knowledge.search(b.tenantId, "окно", 3)).toEqual([]);
      const list = await knowledge.listDocuments(a.tenantId);
      expect(list.map((d) => d.id)).toEqual(expect.arrayContaining(Object.values(ids)));
      const doc = await knowledge.getDocument(a.tenantId, ids["ru-delivery"] ?? "");
      expect(doc?.text).toContain("Доставка по городу бесплатная");
      expect(await knowledge.getDocument(b.tenantId, ids["ru-delivery"] ?? "")).toBeNull();
      expect(await knowledge.getDocument(a.tenantId, "42")).toBeNull();
    });
  });

  it("forgets a deleted document", async () => {
    const doc = await upload(a, encode("Уникальное слово абракадабра."), "gone.txt", "text/plain");
    expect((await search(a, "абракадабра"))[0]?.document_id).toBe(doc.id);
    expect(
      (await call(`${docsOf(a)}/${doc.id}`, { method: "DELETE", headers: bearer(a.token) })).status,
    ).toBe(204);
    expect(await search(a, "абракадабра")).toEqual([]);
    expect((await call(`${docsOf(a)}/${doc.id}`, { headers: bearer(a.token) })).status).toBe(404);
  });
});

describe("documents: list and rights", () => {
  it("pages newest first", async () => {
    const first = await call(`${docsOf(a)}?limit=2`, { headers: bearer(a.token) });
    const page1 = (await first.json()) as { items: Doc[]; next_cursor: string | null };
    expect(page1.items).toHaveLength(2);
    const cursor = encodeURIComponent(page1.next_cursor ?? "");
    const second = await call(`${docsOf(a)}?limit=50&cursor=${cursor}`, { headers: bearer(a.token) });
    const page2 = (await second.json()) as { items: Doc[]; next_cursor: string | null };
    expect(page2.next_cursor).toBeNull();
    const all = [...page1.items, ...page2.items].map((d) => d.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(-CORPUS.length)).toEqual(CORPUS.map((d) => ids[d.key]).reverse());
  });

  it("answers 403 to another tenant's owner and to members, 401 without a token, never data", async () => {
    const member = await seedMember(a);
    const doc = ids["ru-windows"];
    const routes: Array<[string, string]> = [
      ["GET", docsOf(a)],
      ["POST", `${docsOf(a)}?name=x.txt`],
      ["GET", `${docsOf(a)}/search?q=окна`],
      ["GET", `${docsOf(a)}/${doc}`],
      ["DELETE", `${docsOf(a)}/${doc}`],
    ];
    for (const [method, path] of routes) {
      for (const [token, status] of [
        [b.token, 403],
        [member.token, 403],
        [null, 401],
      ] as const) {
        const headers = token ? bearer(token) : {};
        const init =
          method === "POST" ? { ...rawInit(encode("text"), token ?? ""), headers } : { method, headers };
        const res = await call(path, init);
        expect(res.status, `${method} ${path}`).toBe(status);
        expect(JSON.stringify(await readError(res))).not.toMatch(/окно|Пластиков/);
      }
    }
    expect((await call(`${docsOf(a)}/${doc}`, { headers: bearer(a.token) })).status).toBe(200);
  });
});
