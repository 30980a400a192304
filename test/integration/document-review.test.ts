/**
 * Documents the owner can correct (docs/knowledge.md "Review before indexing"): an upload with
 * ?review=true waits as a draft nobody can search, its text is read and corrected (or published as
 * extracted), corrections of an indexed document re-index it, and the original stays downloadable.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "../fixtures/tiny-pdf.ts";
import { uploadMultipart } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { chatJson, visitor } from "../helpers/chat.ts";
import { call, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";

interface Doc {
  id: string;
  title: string;
  status: "draft" | "ready";
  has_original: boolean;
  text_edited_at: string | null;
  passage_count: number;
}
interface DocText {
  id: string;
  status: "draft" | "ready";
  text: string;
  max_length: number;
}
interface Reply {
  reply: string;
  commands: Array<{ name: string; ok: boolean; data?: Record<string, unknown> }>;
}

const block = (...lines: string[]) => `[EXECUTE]\n${lines.join("\n")}\n[/EXECUTE]`;
const docsOf = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/documents`;
const encode = (text: string) => new TextEncoder().encode(text);

const MARKDOWN = "# Гарантия\n\nГарантия на окна — пять лет. Монтаж выполняет бригада Зюзикова.\n";

let a: Owner;

async function upload(o: Owner, bytes: Uint8Array<ArrayBuffer>, name: string, type: string, review = true) {
  const res = await uploadMultipart(docsOf(o), bytes, o.token, {
    name,
    type,
    ...(review ? { query: { review: "true" } } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Doc;
}

async function cabinetSearch(o: Owner, q: string): Promise<string[]> {
  const res = await call(`${docsOf(o)}/search?q=${encodeURIComponent(q)}`, { headers: bearer(o.token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ document_id: string }> }).items.map((h) => h.document_id);
}

/** A visitor turn whose model reply runs `blocks`: what the commands returned. */
async function visitorCommands(o: Owner, ...blocks: string[]): Promise<Reply["commands"]> {
  const tag = await script({ reply: blocks.join("\n") });
  const res = await chatJson(o.tenantId, { user_id: visitor(), message: `Вопрос ${tag}` });
  expect(res.status).toBe(200);
  return ((await res.json()) as Reply).commands;
}

const hitIds = (cmd: Reply["commands"][number] | undefined) =>
  ((cmd?.data?.hits ?? []) as Array<{ documentId: string }>).map((h) => h.documentId);

beforeAll(async () => {
  a = await seedOwner();
});

describe("document review: draft → corrected → indexed", () => {
  it("keeps a reviewed upload as a draft no visitor command or search can see", async () => {
    const doc = await upload(a, encode(MARKDOWN), "garantiya.md", "text/markdown");
    expect(doc).toMatchObject({
      title: "Гарантия",
      status: "draft",
      passage_count: 0,
      has_original: true,
      text_edited_at: null,
    });
    expect(await cabinetSearch(a, "Зюзикова")).not.toContain(doc.id);

    const [search, get, list] = await visitorCommands(
      a,
      block("RAG_SEARCH", "query=Зюзикова гарантия"),
      block("RAG_GET_DOCUMENT", `document_id=${doc.id}`),
      block("RAG_LIST_DOCUMENTS"),
    );
    expect(hitIds(search)).not.toContain(doc.id);
    expect(get?.ok).toBe(false);
    expect(JSON.stringify(list?.data ?? {})).not.toContain(doc.id);

    const text = (await (
      await call(`${docsOf(a)}/${doc.id}/text`, { headers: bearer(a.token) })
    ).json()) as DocText;
    expect(text).toMatchObject({ id: doc.id, status: "draft" });
    expect(text.text).toContain("бригада Зюзикова");
    expect(text.max_length).toBeGreaterThan(1000);
  });

  it("indexes the corrected text, re-indexes a correction, and keeps the original", async () => {
    const doc = await upload(a, encode(MARKDOWN), "garantiya2.md", "text/markdown");
    const fixed = "Гарантия на окна — семь лет. Монтаж выполняет бригада Кулибина.";
    const put = await callJson("PUT", `${docsOf(a)}/${doc.id}/text`, { text: fixed }, bearer(a.token));
    expect(put.status, await put.clone().text()).toBe(200);
    const saved = (await put.json()) as Doc;
    expect(saved.status).toBe("ready");
    expect(saved.passage_count).toBeGreaterThanOrEqual(1);
    expect(saved.text_edited_at).not.toBeNull();

    expect(await cabinetSearch(a, "Кулибина")).toContain(doc.id);
    const [search, get] = await visitorCommands(
      a,
      block("RAG_SEARCH", "query=Кулибина"),
      block("RAG_GET_DOCUMENT", `document_id=${doc.id}`),
    );
    expect(hitIds(search)).toContain(doc.id);
    expect(get?.ok).toBe(true);

    // A second correction replaces the passages: the old words are gone from the index.
    const again = await callJson(
      "PUT",
      `${docsOf(a)}/${doc.id}/text`,
      { text: "Гарантия десять лет, монтаж бригадой Ползунова." },
      bearer(a.token),
    );
    expect(again.status).toBe(200);
    expect(await cabinetSearch(a, "Кулибина")).not.toContain(doc.id);
    expect(await cabinetSearch(a, "Ползунова")).toContain(doc.id);

    // The original upload is unchanged and downloadable.
    const original = await call(`${docsOf(a)}/${doc.id}/original`, { headers: bearer(a.token) });
    expect(original.status).toBe(200);
    expect(original.headers.get("content-disposition")).toContain("garantiya2.md");
    expect(await original.text()).toBe(MARKDOWN);
  });

  it("publishes an HTML draft as extracted; publishing again changes nothing", async () => {
    const html =
      "<html><head><title>Оплата</title></head><body><p>Оплата картой Мир или наличными курьеру Евлампию.</p></body></html>";
    const doc = await upload(a, encode(html), "oplata.html", "text/html");
    expect(doc.status).toBe("draft");
    const path = `${docsOf(a)}/${doc.id}/publish`;
    const first = await call(path, { method: "POST", headers: bearer(a.token) });
    expect(first.status).toBe(200);
    expect((await first.json()) as Doc).toMatchObject({ status: "ready", text_edited_at: null });
    expect(await cabinetSearch(a, "Евлампию")).toContain(doc.id);
    const second = await call(path, { method: "POST", headers: bearer(a.token) });
    expect(second.status).toBe(200);
    expect(((await second.json()) as Doc).status).toBe("ready");
  });

  it("reviews a PDF's extracted text too", async () => {
    const pdf = makePdf("Прайс", ["Price list for PVC windows by Tarasov."]);
    const doc = await upload(a, pdf, "price.pdf", "application/pdf");
    expect(doc.status).toBe("draft");
    const text = (await (
      await call(`${docsOf(a)}/${doc.id}/text`, { headers: bearer(a.token) })
    ).json()) as DocText;
    expect(text.text).toContain("Tarasov");
    const original = await call(`${docsOf(a)}/${doc.id}/original`, { headers: bearer(a.token) });
    expect(new Uint8Array(await original.arrayBuffer())).toEqual(pdf);
  });

  it("indexes at once without ?review (API clients keep the old behaviour)", async () => {
    const doc = await upload(a, encode("Самовывоз со склада Пафнутия."), "pickup.txt", "text/plain", false);
    expect(doc.status).toBe("ready");
    expect(await cabinetSearch(a, "Пафнутия")).toContain(doc.id);
  });

  it("refuses an empty or oversized text with 422 and changes nothing", async () => {
    const doc = await upload(a, encode(MARKDOWN), "g3.md", "text/markdown");
    const path = `${docsOf(a)}/${doc.id}/text`;
    expect((await callJson("PUT", path, { text: "   " }, bearer(a.token))).status).toBe(422);
    expect((await callJson("PUT", path, { text: "я".repeat(100_001) }, bearer(a.token))).status).toBe(422);
    const text = (await (await call(path, { headers: bearer(a.token) })).json()) as DocText;
    expect(text.status).toBe("draft");
  });

  it("deletes the original with the document", async () => {
    const doc = await upload(a, encode(MARKDOWN), "g4.md", "text/markdown");
    const key = `t/${a.tenantId}/documents/${doc.id}`;
    expect(await env.FILES.head(key)).not.toBeNull();
    expect(
      (await call(`${docsOf(a)}/${doc.id}`, { method: "DELETE", headers: bearer(a.token) })).status,
    ).toBe(204);
    expect(await env.FILES.head(key)).toBeNull();
    expect((await call(`${docsOf(a)}/${doc.id}/original`, { headers: bearer(a.token) })).status).toBe(404);
  });
});

describe("document review: who may", () => {
  it("refuses no auth (401), members (403) and other tenants (403/404)", async () => {
    const doc = await upload(a, encode(MARKDOWN), "g5.md", "text/markdown");
    const member = await seedMember(a);
    const other = await seedOwner();
    const routes: Array<[string, string, unknown]> = [
      ["GET", `/${doc.id}/text`, undefined],
      ["PUT", `/${doc.id}/text`, { text: "взлом" }],
      ["POST", `/${doc.id}/publish`, undefined],
      ["GET", `/${doc.id}/original`, undefined],
    ];
    for (const [method, rest, body] of routes) {
      const path = `${docsOf(a)}${rest}`;
      const send = (headers: Record<string, string>) =>
        body === undefined ? call(path, { method, headers }) : callJson(method, path, body, headers);
      expect((await send({})).status, `${method} ${rest} no auth`).toBe(401);
      expect((await send(bearer(member.token))).status, `${method} ${rest} member`).toBe(403);
      expect((await send(bearer(other.token))).status, `${method} ${rest} other tenant`).toBe(403);
      // The other tenant's own path with this document's id: no such document there.
      const theirs = `${docsOf(other)}${rest}`;
      const res =
        body === undefined
          ? await call(theirs, { method, headers: bearer(other.token) })
          : await callJson(method, theirs, body, bearer(other.token));
      expect(res.status, `${method} ${rest} cross-tenant id`).toBe(404);
    }
    const text = (await (
      await call(`${docsOf(a)}/${doc.id}/text`, { headers: bearer(a.token) })
    ).json()) as DocText;
    expect(text).toMatchObject({ status: "draft" });
    expect(text.text).not.toContain("взлом");
  });
});
