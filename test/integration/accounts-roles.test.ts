/** Sessions and roles: logout and password changes revoke tokens; owners manage members. */
import { describe, expect, it } from "vitest";
import { bearer, expectError, loginAs, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";

const profile = (tenantId: string, token: string) =>
  call(`/api/v1/tenants/${tenantId}/me/profile`, { headers: bearer(token) });

const OWNER_ROUTES: Array<[string, (tenantId: string, userId: string) => string, unknown]> = [
  ["GET", (t) => `/api/v1/tenants/${t}/me/members`, undefined],
  ["PATCH", (t, u) => `/api/v1/tenants/${t}/me/members/${u}`, { role: "owner" }],
];

describe("revocation", () => {
  it("logout ends the token; a fresh login works", async () => {
    const owner = await seedOwner();
    const other = await loginAs(owner.tenantId, owner.email, owner.password);
    const out = await callJson(
      "POST",
      `/api/v1/tenants/${owner.tenantId}/logout`,
      undefined,
      bearer(owner.token),
    );
    expect(out.status).toBe(204);
    for (const token of [owner.token, other]) {
      const res = await profile(owner.tenantId, token);
      await expectError(res, 401, "unauthorized");
    }
    const fresh = await loginAs(owner.tenantId, owner.email, owner.password);
    expect((await profile(owner.tenantId, fresh)).status).toBe(200);
  });

  it("a password change ends old tokens and returns a working new one", async () => {
    const owner = await seedOwner();
    const other = await loginAs(owner.tenantId, owner.email, owner.password);
    const res = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/profile`,
      { current_password: owner.password, new_password: "amber-lighthouse-88-tide" },
      bearer(owner.token),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token?: { access_token: string; token_type: string } };
    expect(body.access_token?.token_type).toBe("bearer");
    const fresh = body.access_token?.access_token ?? "";
    for (const token of [owner.token, other]) {
      const old = await profile(owner.tenantId, token);
      await expectError(old, 401, "unauthorized");
    }
    expect((await profile(owner.tenantId, fresh)).status).toBe(200);
  });

  it("a wrong current password changes nothing (422) and ends no session", async () => {
    const owner = await seedOwner();
    const res = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/profile`,
      { current_password: "not-the-password-1", new_password: "amber-lighthouse-88-tide" },
      bearer(owner.token),
    );
    await expectError(res, 422, "validation_failed");
    expect((await profile(owner.tenantId, owner.token)).status).toBe(200);
  });
});

describe("roles", () => {
  it("a member gets 403 on every owner route", async () => {
    const owner = await seedOwner();
    const member = await seedMember(owner);
    for (const [method, path, body] of OWNER_ROUTES) {
      const res = await callJson(method, path(owner.tenantId, member.userId), body, bearer(member.token));
      await expectError(res, 403, "forbidden");
    }
    const list = await call(`/api/v1/tenants/${owner.tenantId}/me/members`, { headers: bearer(owner.token) });
    const { items } = (await list.json()) as { items: Array<{ id: string; role: string }> };
    expect(items.find((m) => m.id === member.userId)?.role).toBe("member");
  });

  it("an owner promotes a member, who can then list members; the change applies at once", async () => {
    const owner = await seedOwner();
    const member = await seedMember(owner);
    const promote = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/members/${member.userId}`,
      { role: "owner" },
      bearer(owner.token),
    );
    expect(promote.status).toBe(200);
    expect(await promote.json()).toMatchObject({ id: member.userId, role: "owner" });
    // The member's old token (role "member" inside) now works on owner routes: the role is read from the DB.
    const list = await call(`/api/v1/tenants/${owner.tenantId}/me/members`, {
      headers: bearer(member.token),
    });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: Array<{ id: string }> };
    expect(items.map((m) => m.id)).toEqual(expect.arrayContaining([owner.userId, member.userId]));

    // The promoted one demotes the original owner, whose existing token loses owner rights at once.
    const demote = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/members/${owner.userId}`,
      { role: "member" },
      bearer(member.token),
    );
    expect(demote.status).toBe(200);
    const after = await call(`/api/v1/tenants/${owner.tenantId}/me/members`, {
      headers: bearer(owner.token),
    });
    await expectError(after, 403, "forbidden");
    expect(await (await profile(owner.tenantId, owner.token)).json()).toMatchObject({ role: "member" });
  });

  it("the last owner cannot demote itself (409 last_owner)", async () => {
    const owner = await seedOwner();
    const res = await callJson(
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/members/${owner.userId}`,
      { role: "member" },
      bearer(owner.token),
    );
    await expectError(res, 409, "last_owner");
    expect(
      (await call(`/api/v1/tenants/${owner.tenantId}/me/members`, { headers: bearer(owner.token) })).status,
    ).toBe(200);
  });

  it("an unknown user, or a user of another tenant -> 404", async () => {
    const a = await seedOwner();
    const b = await seedOwner();
    const patch = (userId: string) =>
      callJson(
        "PATCH",
        `/api/v1/tenants/${b.tenantId}/me/members/${userId}`,
        { role: "owner" },
        bearer(b.token),
      );
    await expectError(await patch(crypto.randomUUID()), 404, "not_found");
    await expectError(await patch(a.userId), 404, "not_found");
    expect(await (await profile(a.tenantId, a.token)).json()).toMatchObject({
      role: "owner",
      tenant_id: a.tenantId,
    });
  });
});
