/**
 * Blocking a tenant ends its users' live cabinet sessions (docs/operator.md, "Block"): a token minted
 * before the block answers 403 `tenant_blocked` on every bearer route, for owners and members alike,
 * while the operator's read-only support session and the console keep working; after the unblock the
 * same token works again (the block is a state of the tenant, not a revocation of the tokens).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";
import { type Platform, platformCall, seedPlatform } from "../helpers/platform.ts";

const tenantPath = (id: string, tail = "") => `/api/v1/platform/tenants/${id}${tail}`;
const chunksPath = (o: Owner) => `/api/v1/tenants/${o.tenantId}/me/prompt/chunks`;
const get = (path: string, token: string) => call(path, { headers: bearer(token) });

let p: Platform;
beforeAll(async () => {
  p = await seedPlatform();
});

describe("a blocked tenant's tokens", () => {
  it("get 403 tenant_blocked on cabinet routes; support and console still work; unblock restores", async () => {
    const owner = await seedOwner({ locale: "en" });
    const member = await seedMember(owner);
    const added = await callJson(
      "POST",
      chunksPath(owner),
      { question: "Hours?", text: "Nine to six." },
      bearer(owner.token),
    );
    expect(added.status, await added.clone().text()).toBe(201);
    expect((await get(chunksPath(owner), owner.token)).status).toBe(200);
    const keyRes = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/me/api-keys`,
      { name: "CRM", scopes: ["read"] },
      bearer(owner.token),
    );
    expect(keyRes.status, await keyRes.clone().text()).toBe(201);
    const apiKey = ((await keyRes.json()) as { key: string }).key;
    const dialogsPath = `/api/v1/tenants/${owner.tenantId}/me/dialogs`;
    expect((await get(dialogsPath, apiKey)).status).toBe(200);

    const blocked = await platformCall(p, "POST", tenantPath(owner.tenantId, "/block"));
    expect(blocked.status, await blocked.clone().text()).toBe(200);

    // The owner's token from before the block: reads, writes and owner-only routes all refused.
    const text = await expectError(await get(chunksPath(owner), owner.token), 403, "tenant_blocked");
    expect(text).toContain("blocked by the platform");
    await expectError(
      await callJson("POST", chunksPath(owner), { question: "q", text: "t" }, bearer(owner.token)),
      403,
      "tenant_blocked",
    );
    await expectError(
      await get(`/api/v1/tenants/${owner.tenantId}/me/quotas`, owner.token),
      403,
      "tenant_blocked",
    );
    // A member's token, on a route any member may call.
    await expectError(
      await get(`/api/v1/tenants/${owner.tenantId}/me/profile`, member.token),
      403,
      "tenant_blocked",
    );
    // The tenant's API keys are closed too.
    await expectError(await get(dialogsPath, apiKey), 403, "tenant_blocked");
    // A bad or foreign token still reads as such: the block is not disclosed to strangers.
    await expectError(await call(chunksPath(owner)), 401);
    const stranger = await seedOwner();
    await expectError(await get(chunksPath(owner), stranger.token), 403, "forbidden");

    // The console keeps working, and a support session opened now still reads the cabinet.
    const listed = await platformCall(p, "GET", tenantPath(owner.tenantId));
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { blocked: boolean }).blocked).toBe(true);
    const ticket = await platformCall(p, "POST", tenantPath(owner.tenantId, "/tickets"), {
      reason: "Why was I blocked?",
    });
    expect(ticket.status, await ticket.clone().text()).toBe(201);
    const support = ((await ticket.json()) as { access_token: string }).access_token;
    const read = await get(chunksPath(owner), support);
    expect(read.status, await read.clone().text()).toBe(200);
    const items = ((await read.json()) as { items: Array<{ question: string }> }).items;
    expect(items.map((c) => c.question)).toEqual(["Hours?"]);
    await expectError(
      await callJson("POST", chunksPath(owner), { question: "q", text: "t" }, bearer(support)),
      403,
      "read_only",
    );

    const unblocked = await platformCall(p, "POST", tenantPath(owner.tenantId, "/unblock"));
    expect(unblocked.status).toBe(200);
    // The very same tokens work again: nothing was revoked for good.
    expect((await get(chunksPath(owner), owner.token)).status).toBe(200);
    expect((await get(`/api/v1/tenants/${owner.tenantId}/me/profile`, member.token)).status).toBe(200);
    expect((await get(dialogsPath, apiKey)).status).toBe(200);
    const again = await callJson(
      "POST",
      chunksPath(owner),
      { question: "Again?", text: "Yes." },
      bearer(owner.token),
    );
    expect(again.status, await again.clone().text()).toBe(201);
  });
});
