/**
 * CIP's own MCP server (docs/mcp.md): an MCP client from the official SDK lists and calls the tenant's
 * knowledge tools over Streamable HTTP, with a `read` API key or the owner's token; other credentials,
 * other tenants and GET are refused.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeAll, describe, expect, it } from "vitest";
import { PNG, uploadRaw } from "../fixtures/uploads.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { BASE, call, callJson } from "../helpers/http.ts";

const mcpPath = (tenantId: string) => `/api/v1/tenants/${tenantId}/mcp`;

/** An SDK client that reaches the worker through its fetch handler (no network in between). */
async function connect(tenantId: string, credential: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}${mcpPath(tenantId)}`), {
    requestInit: { headers: { authorization: `Bearer ${credential}` } },
    fetch: (url, init) => call(new URL(String(url)).pathname, init),
  });
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const textOf = (result: unknown) =>
  (((result as { content?: Array<{ text?: string }> }).content ?? []) as Array<{ text?: string }>)
    .map((c) => c.text ?? "")
    .join("");

describe("CIP's own MCP server", () => {
  let owner: Owner;
  let galleryId: string;
  let documentId: string;
  let readKey: string;
  let chatKey: string;

  beforeAll(async () => {
    owner = await seedOwner();
    const me = `/api/v1/tenants/${owner.tenantId}/me`;
    const group = (await (
      await callJson("POST", `${me}/galleries`, { title: "Windows" }, bearer(owner.token))
    ).json()) as { id: string };
    galleryId = group.id;
    const image = await uploadRaw(`${me}/galleries/${group.id}/images`, PNG, owner.token, {
      type: "image/png",
      name: "window.png",
    });
    expect(image.status).toBe(201);
    const text = new TextEncoder().encode(
      "Delivery of windows across the city is free. Fitting takes one day.",
    );
    const doc = await uploadRaw(`${me}/documents`, text, owner.token, {
      type: "text/plain",
      name: "delivery.txt",
    });
    documentId = ((await doc.json()) as { id: string }).id;
    const key = async (scopes: string[]) =>
      (
        (await (
          await callJson("POST", `${me}/api-keys`, { name: "agent", scopes }, bearer(owner.token))
        ).json()) as {
          key: string;
        }
      ).key;
    readKey = await key(["read"]);
    chatKey = await key(["chat"]);
  });

  it("an SDK client lists the tools and calls each of them with a read key", async () => {
    const client = await connect(owner.tenantId, readKey);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "get_document",
        "list_documents",
        "list_galleries",
        "search_documents",
        "show_gallery",
      ]);
      expect(tools.find((t) => t.name === "search_documents")?.inputSchema).toMatchObject({
        properties: { query: { type: "string" }, limit: { type: "integer" } },
        required: ["query"],
      });

      const galleries = JSON.parse(textOf(await client.callTool({ name: "list_galleries", arguments: {} })));
      expect(galleries).toEqual([
        expect.objectContaining({ id: galleryId, title: "Windows", imageCount: 1 }),
      ]);
      const gallery = JSON.parse(
        textOf(await client.callTool({ name: "show_gallery", arguments: { gallery_id: galleryId } })),
      ) as { images: Array<{ name: string; url: string }> };
      expect(gallery.images[0]?.name).toBe("window.png");

      const documents = JSON.parse(textOf(await client.callTool({ name: "list_documents", arguments: {} })));
      expect(documents.map((d: { id: string }) => d.id)).toContain(documentId);
      const doc = JSON.parse(
        textOf(await client.callTool({ name: "get_document", arguments: { document_id: documentId } })),
      ) as { text: string };
      expect(doc.text).toContain("Fitting takes one day");
      const hits = JSON.parse(
        textOf(await client.callTool({ name: "search_documents", arguments: { query: "delivery windows" } })),
      ) as Array<{ documentId: string }>;
      expect(hits[0]?.documentId).toBe(documentId);

      const missing = await client.callTool({
        name: "get_document",
        arguments: { document_id: crypto.randomUUID() },
      });
      expect(missing.isError).toBe(true);
      const invalid = await client.callTool({ name: "show_gallery", arguments: { gallery_id: "nope" } });
      expect(invalid.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("the owner's token works too; the tools see only the caller's tenant", async () => {
    const other = await seedOwner();
    const client = await connect(other.tenantId, other.token);
    try {
      const galleries = JSON.parse(textOf(await client.callTool({ name: "list_galleries", arguments: {} })));
      expect(galleries).toEqual([]);
      const foreign = await client.callTool({ name: "show_gallery", arguments: { gallery_id: galleryId } });
      expect(foreign.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("refuses no credential, a chat-only key, a member, another tenant's key; GET has no stream", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const post = (tenantId: string, headers: Record<string, string>) =>
      callJson("POST", mcpPath(tenantId), init, {
        accept: "application/json, text/event-stream",
        ...headers,
      });
    expect((await post(owner.tenantId, {})).status).toBe(401);
    expect((await post(owner.tenantId, bearer(chatKey))).status).toBe(403);
    const member = await seedMember(owner);
    expect((await post(owner.tenantId, bearer(member.token))).status).toBe(403);
    const other = await seedOwner();
    expect((await post(other.tenantId, bearer(readKey))).status).toBe(403);
    // Stateless: no server-sent stream to open.
    expect((await call(mcpPath(owner.tenantId), { headers: bearer(readKey) })).status).toBe(404);
    await expect(connect(owner.tenantId, "cip_not_a_real_key_000000000000000000000000000")).rejects.toThrow();
  });
});
