import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { createHttpKnowledge } from "../../src/services/knowledge/http.ts";
import { fakeFetch } from "../helpers/llm-fetch.ts";

const TENANT = "7d0c1c4e-6f1f-4a57-9d36-2b8f8f0b6a11";
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("createHttpKnowledge", () => {
  it("calls the documented routes with the token and maps the answers", async () => {
    const gallery = { id: "g1", title: "Kitchens", description: null, imageCount: 1 };
    const image = { id: "i1", name: "a.png", caption: null, url: "https://cdn.example/a.png" };
    const doc = {
      id: "d1",
      title: "Prices",
      contentType: "text/plain",
      size: 10,
      createdAt: "2026-11-20T00:00:00Z",
    };
    const hit = { documentId: "d1", title: "Prices", snippet: "окно от 5000", rank: 0.4 };
    const { impl, calls } = fakeFetch(({ url }) => {
      const path = new URL(url).pathname.replace(`/v1/tenants/${TENANT}`, "");
      if (path === "/galleries") return json([gallery]);
      if (path === "/galleries/g1") return json({ ...gallery, images: [image] });
      if (path === "/documents") return json([doc]);
      if (path === "/documents/d1") return json({ ...doc, text: "Цены" });
      if (path === "/search") return json([hit]);
      return json({ error: "nope" }, 404);
    });
    const knowledge = createHttpKnowledge({
      baseUrl: "https://rag.example/v1/",
      token: "s3cret",
      fetch: impl,
    });

    expect(await knowledge.listGalleries(TENANT)).toEqual([gallery]);
    expect(await knowledge.getGallery(TENANT, "g1")).toEqual({ ...gallery, images: [image] });
    expect(await knowledge.getGallery(TENANT, "missing")).toBeNull();
    expect(await knowledge.listDocuments(TENANT)).toEqual([doc]);
    expect(await knowledge.getDocument(TENANT, "d1")).toEqual({ ...doc, text: "Цены" });
    expect(await knowledge.getDocument(TENANT, "zzz")).toBeNull();
    expect(await knowledge.search(TENANT, "окна и двери", 3)).toEqual([hit]);

    const searchUrl = new URL(calls.at(-1)?.url ?? "");
    expect(searchUrl.searchParams.get("q")).toBe("окна и двери");
    expect(searchUrl.searchParams.get("limit")).toBe("3");
    expect(new Headers(calls[0]?.init?.headers).get("authorization")).toBe("Bearer s3cret");
  });

  it("turns failures and malformed answers into upstream_error", async () => {
    const cases: Array<() => Response | Promise<Response>> = [
      () => json({ error: "down" }, 500),
      () => json([{ id: 1 }]),
      () => new Response("not json"),
      () => Promise.reject(new TypeError("connection refused")),
      () => json([], 404),
    ];
    for (const respond of cases) {
      const { impl } = fakeFetch(respond);
      const knowledge = createHttpKnowledge({ baseUrl: "https://rag.example", fetch: impl });
      await expect(knowledge.listGalleries(TENANT)).rejects.toSatisfy(
        (e) => e instanceof AppError && e.code === "upstream_error" && e.status === 502,
      );
    }
  });
});
