/**
 * The owner's MCP servers (docs/mcp.md): attach a server built with the SDK (tools listed at once), list,
 * switch tools, re-list, delete; header secrets sealed and never returned; the refusals; the access rules.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { callRemoteTool, listRemoteTools, MCP_TIMEOUT_MS } from "../../src/services/mcp/client.ts";
import { McpRemoteError } from "../../src/services/mcp/failures.ts";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { attachServer, type McpServerBody, mcpUrl, seenAuthorization, serversPath } from "../helpers/mcp.ts";

describe("MCP server routes", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
  });

  it("attaches a server and lists its tools with descriptions and input schemas", async () => {
    const server = await attachServer(owner, "weather");
    expect(server).toMatchObject({ name: "weather", url: mcpUrl(), enabled: true, last_error: null });
    const names = server.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["get_weather", "echo", "slow", "fail", "big"]));
    const weather = server.tools.find((t) => t.name === "get_weather");
    expect(weather?.description).toBe("Weather forecast for a city");
    expect(weather?.enabled).toBe(true);
    expect(weather?.input_schema).toMatchObject({
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer" }, metric: { type: "boolean" } },
      required: ["city"],
    });

    const listed = await call(serversPath(owner.tenantId), { headers: bearer(owner.token) });
    expect(listed.status).toBe(200);
    const items = ((await listed.json()) as { items: McpServerBody[] }).items;
    expect(items.map((s) => s.id)).toContain(server.id);
  });

  it("seals header values: sent to the server, never returned or stored in plain text", async () => {
    const server = await attachServer(owner, "secure", "/secure/mcp", { Authorization: "Bearer s3cret" });
    expect(server.last_error).toBeNull();
    expect(server.tools.length).toBeGreaterThan(0);
    expect(server.header_names).toEqual(["Authorization"]);
    expect(JSON.stringify(server)).not.toContain("s3cret");
    const listed = await (await call(serversPath(owner.tenantId), { headers: bearer(owner.token) })).text();
    expect(listed).not.toContain("s3cret");
    expect((await seenAuthorization())["/secure/mcp"]).toContain("Bearer s3cret");
    // The open server never received the other server's secret.
    expect((await seenAuthorization())["/mcp"] ?? []).not.toContain("Bearer s3cret");
  });

  it("stores a failed listing as the last error, and refresh lists again", async () => {
    const res = await callJson(
      "POST",
      serversPath(owner.tenantId),
      { name: "locked", url: mcpUrl("/secure/mcp"), headers: { Authorization: "Bearer wrong" } },
      bearer(owner.token),
    );
    expect(res.status).toBe(201);
    const server = (await res.json()) as McpServerBody;
    expect(server.tools).toEqual([]);
    expect(server.last_error).toMatch(/error|401/i);

    const weather = await attachServer(owner, "weather2");
    const off = await callJson(
      "PATCH",
      `${serversPath(owner.tenantId)}/${weather.id}`,
      { tools: { slow: false } },
      bearer(owner.token),
    );
    expect(off.status).toBe(200);
    const refreshed = await call(`${serversPath(owner.tenantId)}/${weather.id}/refresh`, {
      method: "POST",
      headers: bearer(owner.token),
    });
    expect(refreshed.status).toBe(200);
    const after = (await refreshed.json()) as McpServerBody;
    // The owner's switch survives a new listing.
    expect(after.tools.find((t) => t.name === "slow")?.enabled).toBe(false);
    expect(after.tools.find((t) => t.name === "echo")?.enabled).toBe(true);
  });

  it("a tool that first appears on a refresh starts disabled; the first listing's tools start enabled", async () => {
    const k = crypto.randomUUID();
    const server = await attachServer(owner, "growing", `/mcp?k=${k}`);
    expect(server.tools.every((t) => t.enabled)).toBe(true);
    expect(server.tools.map((t) => t.name)).not.toContain("late");
    // The server gains a tool between two listings.
    expect((await fetch(`${env.TEST_MCP_SERVER}/__grow?k=${k}`)).status).toBe(204);
    const refreshed = await call(`${serversPath(owner.tenantId)}/${server.id}/refresh`, {
      method: "POST",
      headers: bearer(owner.token),
    });
    expect(refreshed.status).toBe(200);
    const after = (await refreshed.json()) as McpServerBody;
    expect(after.tools.find((t) => t.name === "late")?.enabled).toBe(false);
    expect(after.tools.find((t) => t.name === "get_weather")?.enabled).toBe(true);
  });

  it("keeps only tools and arguments with spec names, drops schemas over 8 KB, keeps 50 arguments", async () => {
    const server = await attachServer(owner, "hostile", "/hostile/mcp");
    expect(server.last_error).toBeNull();
    expect(server.tools.map((t) => t.name).sort()).toEqual(["fine", "huge", "wide"]);
    const fine = server.tools.find((t) => t.name === "fine");
    expect(Object.keys(fine?.input_schema.properties as object)).toEqual(["good_key"]);
    expect(fine?.input_schema.required).toEqual(["good_key"]);
    const wide = server.tools.find((t) => t.name === "wide");
    expect(Object.keys(wide?.input_schema.properties as object)).toHaveLength(50);
  });

  it("switches the server off and a tool off, refuses unknown tools, deletes", async () => {
    const server = await attachServer(owner, "switches");
    const path = `${serversPath(owner.tenantId)}/${server.id}`;
    const res = await callJson(
      "PATCH",
      path,
      { enabled: false, tools: { echo: false } },
      bearer(owner.token),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as McpServerBody;
    expect(body.enabled).toBe(false);
    expect(body.tools.find((t) => t.name === "echo")?.enabled).toBe(false);

    const unknown = await callJson("PATCH", path, { tools: { nope: true } }, bearer(owner.token));
    expect(unknown.status).toBe(422);

    const gone = await call(path, { method: "DELETE", headers: bearer(owner.token) });
    expect(gone.status).toBe(204);
    const again = await call(path, { method: "DELETE", headers: bearer(owner.token) });
    expect(again.status).toBe(404);
  });

  it("refuses bad names, a taken name, URLs that are not URLs, and multi-line header values", async () => {
    const post = (payload: unknown) =>
      callJson("POST", serversPath(owner.tenantId), payload, bearer(owner.token));
    expect((await post({ name: "Bad Name", url: mcpUrl() })).status).toBe(422);
    expect((await post({ name: "x".repeat(33), url: mcpUrl() })).status).toBe(422);
    expect((await post({ name: "ftp", url: "ftp://example.com/mcp" })).status).toBe(422);
    expect((await post({ name: "hdr", url: mcpUrl(), headers: { "X-A": "a\r\nb" } })).status).toBe(422);
    await attachServer(owner, "taken");
    const dup = await post({ name: "taken", url: mcpUrl() });
    expect(dup.status).toBe(409);
    expect((await readError(dup)).error.code).toBe("conflict");
  });

  it("owners only; another tenant's token is refused; no token is 401", async () => {
    const member = await seedMember(owner);
    const other = await seedOwner();
    const server = await attachServer(owner, "access");
    expect((await call(serversPath(owner.tenantId))).status).toBe(401);
    expect((await call(serversPath(owner.tenantId), { headers: bearer(member.token) })).status).toBe(403);
    expect((await call(serversPath(owner.tenantId), { headers: bearer(other.token) })).status).toBe(403);
    const cross = await callJson(
      "PATCH",
      `${serversPath(other.tenantId)}/${server.id}`,
      { enabled: false },
      bearer(other.token),
    );
    expect(cross.status).toBe(404);
  });
});

describe("MCP client safety", () => {
  it("refuses private addresses unless allowed, and redirects to another origin", async () => {
    const refused = listRemoteTools({ url: mcpUrl(), headers: {}, allowPrivate: false });
    await expect(refused).rejects.toBeInstanceOf(McpRemoteError);
    await expect(refused).rejects.toMatchObject({ reason: "refused_url" });

    const redirected = listRemoteTools({
      url: mcpUrl("/redirect"),
      headers: { Authorization: "Bearer s3cret-redirect" },
      allowPrivate: true,
    });
    await expect(redirected).rejects.toBeInstanceOf(McpRemoteError);
    // The secret went to the server's own address only, never to where it pointed.
    const seen = await seenAuthorization();
    expect(seen["/redirect"]).toContain("Bearer s3cret-redirect");
    expect(seen["/mcp"] ?? []).not.toContain("Bearer s3cret-redirect");
    expect(env.WEBHOOK_ALLOW_PRIVATE).toBe("1");
  });

  it("fails a call whose reply passes 1 MiB while it streams, well before the timeout", async () => {
    const started = Date.now();
    const outcome = await callRemoteTool(
      { url: mcpUrl("/hostile/mcp"), headers: {}, allowPrivate: true },
      "huge",
      {},
    );
    expect(outcome).toMatchObject({ ok: false, reason: "protocol" });
    expect(outcome.ok ? "" : outcome.detail).toMatch(/larger than 1 MiB/);
    expect(Date.now() - started).toBeLessThan(MCP_TIMEOUT_MS);
  });
});
