import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Bytes,
  bytesOf,
  callWithEnv,
  chunked,
  multipartInit,
  PNG,
  rawInit,
  uploadMultipart,
  uploadRaw,
} from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, readError } from "../helpers/http.ts";

interface FileInfo {
  id: string;
  name: string;
  content_type: string;
  size: number;
  created_at: string;
}

let a: Owner;
let b: Owner;
const filesOf = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/files`;

beforeAll(async () => {
  [a, b] = await Promise.all([seedOwner(), seedOwner()]);
});

async function store(o: Owner, bytes: Bytes, name = "data.bin", type?: string): Promise<FileInfo> {
  const res = await uploadRaw(filesOf(o), bytes, o.token, { name, ...(type ? { type } : {}) });
  expect(res.status).toBe(201);
  return (await res.json()) as FileInfo;
}

describe("files: upload and download", () => {
  it("sniffs the type from the bytes: a PNG labelled text/plain is stored as image/png", async () => {
    const file = await store(a, PNG, "picture.txt", "text/plain");
    expect(file).toMatchObject({ name: "picture.txt", content_type: "image/png", size: PNG.length });
    const res = await call(`${filesOf(a)}/${file.id}`, { headers: bearer(a.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-length")).toBe(String(PNG.length));
    expect(res.headers.get("etag")).toMatch(/^"/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  it("takes multipart uploads and names the download safely (RFC 5987)", async () => {
    const text = new TextEncoder().encode("строка 1\nline 2\n");
    const res = await uploadMultipart(filesOf(a), text, a.token, {
      name: 'отчёт "1".txt',
      type: "image/png",
    });
    expect(res.status).toBe(201);
    const file = (await res.json()) as FileInfo;
    expect(file.content_type).toBe("text/plain");
    const got = await call(`${filesOf(a)}/${file.id}`, { headers: bearer(a.token) });
    expect(got.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const disposition = got.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).not.toContain('"1"');
    expect(decodeURIComponent(disposition.split("''")[1] ?? "")).toBe('отчёт "1".txt');
    expect(await got.text()).toBe("строка 1\nline 2\n");
  });

  it("refuses empty uploads and forms without a file field", async () => {
    const empty = await uploadRaw(filesOf(a), new Uint8Array(0), a.token, { name: "x" });
    expect(empty.status).toBe(400);
    const form = new FormData();
    form.set("other", "value");
    const noFile = await call(filesOf(a), { method: "POST", headers: bearer(a.token), body: form });
    expect(noFile.status).toBe(422);
    expect((await readError(noFile)).error.issues?.[0]?.path).toBe("file");
  });
});

describe("files: range requests", () => {
  const content = bytesOf(100, 3);
  let url = "";
  beforeAll(async () => {
    url = `${filesOf(a)}/${(await store(a, content)).id}`;
  });
  const get = (range: string, extra: Record<string, string> = {}) =>
    call(url, { headers: { ...bearer(a.token), range, ...extra } });

  it.each([
    ["bytes=0-9", 0, 10],
    ["bytes=-5", 95, 100],
    ["bytes=10-", 10, 100],
    ["bytes=90-500", 90, 100],
  ])("%s answers 206 with the right slice", async (range, from, to) => {
    const res = await get(range);
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${from}-${to - 1}/100`);
    expect(res.headers.get("content-length")).toBe(String(to - from));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(content.slice(from, to));
  });

  it.each(["bytes=100-", "bytes=500-600", "bytes=9-3", "bytes=-0", "bytes=abc", "bytes=-"])(
    "%s answers 416 with the size",
    async (range) => {
      const res = await get(range);
      expect(res.status).toBe(416);
      expect(res.headers.get("content-range")).toBe("bytes */100");
      expect((await readError(res)).error.code).toBe("range_not_satisfiable");
    },
  );

  it("serves the whole file for other units, and 304 for a matching If-None-Match", async () => {
    const whole = await get("items=0-1");
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const etag = whole.headers.get("etag") ?? "";
    await whole.arrayBuffer();
    const again = await call(url, { headers: { ...bearer(a.token), "if-none-match": etag } });
    expect(again.status).toBe(304);
  });
});

describe("files: upload limits", () => {
  const cap = { MAX_UPLOAD_BYTES: "2048" };
  const send = (init: RequestInit, query = "?name=f.bin") => callWithEnv(cap, `${filesOf(a)}${query}`, init);

  it("takes exactly the cap and refuses one byte more, for raw bodies of unknown length", async () => {
    expect((await send(rawInit(bytesOf(2048), a.token))).status).toBe(201);
    const over = await send(rawInit(chunked(bytesOf(2049), 100), a.token));
    expect(over.status).toBe(413);
    expect((await readError(over)).error.code).toBe("payload_too_large");
  });

  it("checks Content-Length up front and streams known-length bodies", async () => {
    const exact = rawInit(chunked(bytesOf(2048), 512), a.token, { headers: { "content-length": "2048" } });
    const ok = await send(exact);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as FileInfo).size).toBe(2048);
    const huge = rawInit(chunked(bytesOf(10), 10), a.token, { headers: { "content-length": "999999999" } });
    expect((await send(huge)).status).toBe(413);
  });

  it("takes exactly the cap and refuses one byte more, for multipart", async () => {
    expect((await send(multipartInit(bytesOf(2048), a.token), "")).status).toBe(201);
    const over = await send(multipartInit(bytesOf(2049), a.token), "");
    expect(over.status).toBe(413);
    const wayOver = await send(multipartInit(bytesOf(200_000), a.token), "");
    expect(wayOver.status).toBe(413);
  });

  it("defaults to 10 MiB", async () => {
    const max = 10 * 1024 * 1024;
    const over = await uploadRaw(filesOf(b), bytesOf(max + 1), b.token, { name: "big.bin" });
    expect(over.status).toBe(413);
    const at = await uploadRaw(filesOf(b), bytesOf(max), b.token, { name: "big.bin" });
    expect(at.status).toBe(201);
    const file = (await at.json()) as FileInfo;
    expect(
      (await call(`${filesOf(b)}/${file.id}`, { method: "DELETE", headers: bearer(b.token) })).status,
    ).toBe(204);
  });
});

describe("files: list and delete", () => {
  it("pages newest first, stably, with a cursor", async () => {
    const owner = await seedOwner();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await store(owner, bytesOf(10, i), `f${i}.bin`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await call(`${filesOf(owner)}${query}`, { headers: bearer(owner.token) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: FileInfo[]; next_cursor: string | null };
      seen.push(...body.items.map((f) => f.id));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...made].reverse());
    const bad = await call(`${filesOf(owner)}?cursor=nonsense`, { headers: bearer(owner.token) });
    expect(bad.status).toBe(422);
  });

  it("deletes the row and the R2 object", async () => {
    const file = await store(a, bytesOf(50));
    const key = `t/${a.tenantId}/files/${file.id}`;
    expect(await env.FILES.head(key)).not.toBeNull();
    const del = await call(`${filesOf(a)}/${file.id}`, { method: "DELETE", headers: bearer(a.token) });
    expect(del.status).toBe(204);
    expect(await env.FILES.head(key)).toBeNull();
    expect((await call(`${filesOf(a)}/${file.id}`, { headers: bearer(a.token) })).status).toBe(404);
    const again = await call(`${filesOf(a)}/${file.id}`, { method: "DELETE", headers: bearer(a.token) });
    expect(again.status).toBe(404);
  });
});

describe("files: rights", () => {
  it("answers 403 to another tenant's owner and to members, 401 without a token, never data", async () => {
    const file = await store(b, bytesOf(30));
    const member = await seedMember(b);
    const routes: Array<[string, string]> = [
      ["GET", filesOf(b)],
      ["POST", `${filesOf(b)}?name=x.bin`],
      ["GET", `${filesOf(b)}/${file.id}`],
      ["DELETE", `${filesOf(b)}/${file.id}`],
    ];
    for (const [method, path] of routes) {
      for (const [token, status] of [
        [a.token, 403],
        [member.token, 403],
        [null, 401],
      ] as const) {
        const init =
          method === "POST"
            ? rawInit(bytesOf(10), token ?? "")
            : { method, headers: token ? bearer(token) : {} };
        if (!token) init.headers = {};
        const res = await call(path, init);
        expect(res.status, `${method} ${path}`).toBe(status);
        expect(JSON.stringify(await readError(res))).not.toContain(file.id);
      }
    }
    const own = await call(`${filesOf(a)}/${file.id}`, { headers: bearer(a.token) });
    expect(own.status).toBe(404);
    expect((await call(`${filesOf(b)}/${file.id}`, { headers: bearer(b.token) })).status).toBe(200);
  });
});
