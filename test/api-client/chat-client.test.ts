/**
 * The typed client of docs/api-clients.md against the app: generated types (openapi-typescript) and
 * openapi-fetch, authenticated with API keys. `npm run lint:api` typechecks this file against freshly
 * generated types, so a contract change that breaks the documented client breaks CI.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { BASE, callJson } from "../helpers/http.ts";
import { script } from "../helpers/model.ts";
import { ask, cipClient, newestLeads } from "./client.ts";

const appFetch: typeof fetch = (input, init) => exports.default.fetch(new Request(input, init));

async function makeKey(owner: Owner, scopes: Array<"read" | "chat">): Promise<string> {
  const res = await callJson(
    "POST",
    `/api/v1/tenants/${owner.tenantId}/me/api-keys`,
    { name: `client ${scopes.join("+")}`, scopes },
    bearer(owner.token),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

describe("a generated client with API keys", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await seedOwner();
    // A protected embed: a browser would need a widget token; a server with a `chat` key does not.
    const res = await callJson(
      "PUT",
      `/api/v1/tenants/${owner.tenantId}/me/embed/settings`,
      { allowed_origins: ["https://shop.example"], protected_embed: true },
      bearer(owner.token),
    );
    expect(res.status).toBe(200);
  });

  it("chats with a chat key and reads the lead with a read key", async () => {
    const chat = cipClient(BASE, await makeKey(owner, ["chat"]), appFetch);
    const tag = await script({ reply: "Thanks, we will write to you." });
    const first = await ask(chat, owner.tenantId, "crm-visitor-1", `Mail me at buyer@example.com ${tag}`);
    expect(first.reply).toBe("Thanks, we will write to you.");
    const tag2 = await script({ reply: "Still here." });
    const second = await ask(chat, owner.tenantId, "crm-visitor-1", `And now? ${tag2}`, first.dialogId);
    expect(second).toEqual({ reply: "Still here.", dialogId: first.dialogId });

    const read = cipClient(BASE, await makeKey(owner, ["read"]), appFetch);
    await expect
      .poll(async () => (await newestLeads(read, owner.tenantId)).map((l) => l.value), { timeout: 10_000 })
      .toContain("buyer@example.com");
  });

  it("reports the API's error envelope through the typed error", async () => {
    const anonymous = cipClient(BASE, "cip_not-a-real-key-not-a-real-key-not-a-real-key", appFetch);
    await expect(ask(anonymous, owner.tenantId, "v", "hi")).rejects.toThrow(/401 invalid_api_key/);
    const read = cipClient(BASE, await makeKey(owner, ["read"]), appFetch);
    await expect(ask(read, owner.tenantId, "v", "hi")).rejects.toThrow(/403 insufficient_scope/);
  });
});
