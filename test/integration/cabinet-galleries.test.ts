import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createBuiltinKnowledge } from "../../src/services/knowledge/builtin.ts";
import { bytesOf, HTML_PAGE, PNG, rawInit, uploadMultipart, uploadRaw } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { withDb } from "../helpers/db.ts";
import { call, callJson, readError } from "../helpers/http.ts";

interface Image {
  id: string;
  group_id: string;
  name: string;
  caption: string | null;
  content_type: string;
  size: number;
  url: string;
}
interface Gallery {
  id: string;
  title: string;
  description: string | null;
  position: number;
  image_count: number;
  images: Image[];
}

let a: Owner;
let b: Owner;
const galleriesOf = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/galleries`;
const GIF = new Uint8Array([...new TextEncoder().encode("GIF89a"), 1, 0, 1, 0, 0, 0, 0, 59]);

beforeAll(async () => {
  [a, b] = await Promise.all([seedOwner(), seedOwner()]);
});

async function createGallery(o: Owner, title: string, description?: string): Promise<Gallery> {
  const res = await callJson("POST", galleriesOf(o), { title, description }, bearer(o.token));
  expect(res.status).toBe(201);
  return (await res.json()) as Gallery;
}

async function addPng(o: Owner, groupId: string, caption?: string): Promise<Image> {
  const res = await uploadMultipart(`${galleriesOf(o)}/${groupId}/images`, PNG, o.token, {
    name: "kitchen.png",
    type: "image/png",
    ...(caption ? { query: { caption } } : {}),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Image;
}

describe("galleries: groups", () => {
  it("creates, lists in order, renames and validates", async () => {
    const owner = await seedOwner();
    const first = await createGallery(owner, "Kitchens", "Our kitchen projects");
    const second = await createGallery(owner, "Кухни");
    expect(first).toMatchObject({ title: "Kitchens", description: "Our kitchen projects", image_count: 0 });
    expect(second.position).toBeGreaterThan(first.position);

    const patched = await callJson(
      "PATCH",
      `${galleriesOf(owner)}/${first.id}`,
      { title: "Kitchens 2026", description: null },
      bearer(owner.token),
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: first.id, title: "Kitchens 2026", description: null });

    const list = await call(galleriesOf(owner), { headers: bearer(owner.token) });
    const { items } = (await list.json()) as { items: Gallery[] };
    expect(items.map((g) => g.id)).toEqual([first.id, second.id]);

    const bad = await callJson("POST", galleriesOf(owner), { title: "  " }, bearer(owner.token));
    expect(bad.status).toBe(422);
    const unknown = await callJson(
      "PATCH",
      `${galleriesOf(owner)}/${crypto.randomUUID()}`,
      { title: "x" },
      bearer(owner.token),
    );
    expect(unknown.status).toBe(404);
  });
});

describe("galleries: images", () => {
  let gallery: Gallery;
  beforeAll(async () => {
    gallery = await createGallery(a, "Projects");
  });

  it("stores an image and serves it at a public, immutable URL", async () => {
    const image = await addPng(a, gallery.id, "Белая кухня");
    expect(image).toMatchObject({ group_id: gallery.id, caption: "Белая кухня", content_type: "image/png" });
    expect(image.url).toBe(`http://cip.test/api/v1/public/images/${a.tenantId}/${image.id}`);

    const res = await call(new URL(image.url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    const etag = res.headers.get("etag") ?? "";
    const again = await call(new URL(image.url).pathname, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("accepts a GIF sent raw whatever its label, and refuses HTML labelled image/png with 415", async () => {
    const path = `${galleriesOf(a)}/${gallery.id}/images`;
    const gif = await uploadRaw(path, GIF, a.token, { name: "dot.gif", type: "text/plain" });
    expect(gif.status).toBe(201);
    expect(((await gif.json()) as Image).content_type).toBe("image/gif");

    for (const send of [uploadRaw, uploadMultipart]) {
      const html = await send(path, HTML_PAGE, a.token, { name: "evil.png", type: "image/png" });
      expect(html.status).toBe(415);
      expect((await readError(html)).error.code).toBe("unsupported_media_type");
    }
    const binary = await uploadRaw(path, bytesOf(64), a.token, { name: "x.png", type: "image/png" });
    expect(binary.status).toBe(415);
    const missing = await uploadRaw(`${galleriesOf(a)}/${crypto.randomUUID()}/images`, PNG, a.token);
    expect(missing.status).toBe(404);
  });

  it("serves public URLs only for the image's own tenant", async () => {
    const image = await addPng(a, gallery.id);
    expect((await call(`/api/v1/public/images/${b.tenantId}/${image.id}`)).status).toBe(404);
    expect((await call(`/api/v1/public/images/${a.tenantId}/${crypto.randomUUID()}`)).status).toBe(404);
    const junk = await call(`/api/v1/public/images/not-a-tenant/${image.id}`);
    expect(junk.status).toBe(404);
    expect((await readError(junk)).error.code).toBe("not_found");
  });

  it("deletes an image: row, R2 object and public URL", async () => {
    const image = await addPng(a, gallery.id);
    const key = `t/${a.tenantId}/images/${image.id}`;
    expect(await env.FILES.head(key)).not.toBeNull();
    const wrongGroup = await call(`${galleriesOf(a)}/${crypto.randomUUID()}/images/${image.id}`, {
      method: "DELETE",
      headers: bearer(a.token),
    });
    expect(wrongGroup.status).toBe(404);
    const del = await call(`${galleriesOf(a)}/${gallery.id}/images/${image.id}`, {
      method: "DELETE",
      headers: bearer(a.token),
    });
    expect(del.status).toBe(204);
    expect(await env.FILES.head(key)).toBeNull();
    expect((await call(new URL(image.url).pathname)).status).toBe(404);
  });

  it("deletes a gallery with all its images", async () => {
    const doomed = await createGallery(a, "Doomed");
    const images = [await addPng(a, doomed.id), await addPng(a, doomed.id)];
    const del = await call(`${galleriesOf(a)}/${doomed.id}`, { method: "DELETE", headers: bearer(a.token) });
    expect(del.status).toBe(204);
    for (const image of images) expect(await env.FILES.head(`t/${a.tenantId}/images/${image.id}`)).toBeNull();
    expect((await call(`${galleriesOf(a)}/${doomed.id}`, { headers: bearer(a.token) })).status).toBe(404);
  });
});

describe("galleries: the built-in knowledge provider", () => {
  it("lists galleries and shows one with public image URLs, scoped by tenant", async () => {
    const owner = await seedOwner();
    const gallery = await createGallery(owner, "Bathrooms", "Tiles and more");
    const image = await addPng(owner, gallery.id, "Blue tiles");
    await withDb(async ({ db }) => {
      const knowledge = createBuiltinKnowledge(db, "https://cdn.example");
      expect(await knowledge.listGalleries(owner.tenantId)).toEqual([
        { id: gallery.id, title: "Bathrooms", description: "Tiles and more", imageCount: 1 },
      ]);
      const detail = await knowledge.getGallery(owner.tenantId, gallery.id);
      expect(detail?.images).toEqual([
        {
          id: image.id,
          name: "kitchen.png",
          caption: "Blue tiles",
          url: `https://cdn.example/api/v1/public/images/${owner.tenantId}/${image.id}`,
        },
      ]);
      expect(await knowledge.getGallery(a.tenantId, gallery.id)).toBeNull();
      expect(await knowledge.getGallery(owner.tenantId, "not-a-uuid")).toBeNull();
    });
  });
});

describe("galleries: rights", () => {
  it("answers 403 to another tenant's owner and to members, 401 without a token, never data", async () => {
    const gallery = await createGallery(b, "Private");
    const image = await addPng(b, gallery.id);
    const member = await seedMember(b);
    const base = galleriesOf(b);
    const routes: Array<[string, string, unknown?]> = [
      ["GET", base],
      ["POST", base, { title: "x" }],
      ["GET", `${base}/${gallery.id}`],
      ["PATCH", `${base}/${gallery.id}`, { title: "x" }],
      ["DELETE", `${base}/${gallery.id}`],
      ["POST", `${base}/${gallery.id}/images?name=x.png`, PNG],
      ["DELETE", `${base}/${gallery.id}/images/${image.id}`],
    ];
    for (const [method, path, body] of routes) {
      for (const [token, status] of [
        [a.token, 403],
        [member.token, 403],
        [null, 401],
      ] as const) {
        const headers = token ? bearer(token) : {};
        const res =
          body instanceof Uint8Array
            ? await call(path, {
                ...rawInit(PNG, token ?? ""),
                headers: { ...headers, "content-type": "image/png" },
              })
            : await callJson(method, path, body, headers);
        expect(res.status, `${method} ${path}`).toBe(status);
        expect(JSON.stringify(await readError(res))).not.toMatch(/Private|kitchen/);
      }
    }
    const still = await call(`${base}/${gallery.id}`, { headers: bearer(b.token) });
    expect(((await still.json()) as Gallery).images.map((i) => i.id)).toEqual([image.id]);
  });
});
