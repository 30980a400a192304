/** Bearer tokens on the /me and owner routes: tenant binding, bad or forged tokens, a weak JWT_SECRET. */
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  callAppDirect,
  expectError,
  type Owner,
  seedMember,
  seedOwner,
} from "../helpers/accounts.ts";
import { call, callJson } from "../helpers/http.ts";

type Route = [method: string, path: (tenantId: string, userId: string) => string, body?: unknown];

/** Every route that needs a signed-in user (the owner-only ones last). */
const ME_ROUTES: Route[] = [
  ["GET", (t) => `/api/v1/tenants/${t}/me/profile`],
  ["PATCH", (t) => `/api/v1/tenants/${t}/me/profile`, { name: "Intruder" }],
  ["POST", (t) => `/api/v1/tenants/${t}/logout`],
  ["GET", (t) => `/api/v1/tenants/${t}/me/members`],
  ["PATCH", (t, u) => `/api/v1/tenants/${t}/me/members/${u}`, { role: "owner" }],
];
const routeName = ([method, path]: Route) => `${method} ${path("{tenant}", "{user}").slice(8)}`;

function send(route: Route, tenantId: string, userId: string, headers: HeadersInit = {}): Promise<Response> {
  const [method, path, body] = route;
  return callJson(method, path(tenantId, userId), body ?? (method === "GET" ? undefined : {}), headers);
}

const key = () => new TextEncoder().encode(env.JWT_SECRET);
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A token for `who` signed like the app does, with overrides to break one thing at a time. */
function forge(
  who: { tenantId: string; userId: string },
  opts: { alg?: string; secret?: Uint8Array; exp?: number; iss?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "owner", iat_ms: Date.now() })
    .setProtectedHeader({ alg: opts.alg ?? "HS256", typ: "JWT" })
    .setIssuer(opts.iss ?? "cip")
    .setAudience(who.tenantId)
    .setSubject(who.userId)
    .setIssuedAt(now)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(opts.secret ?? key());
}

let a: Owner;
let b: Owner;
let bMember: Owner;
beforeAll(async () => {
  a = await seedOwner();
  b = await seedOwner();
  bMember = await seedMember(b);
});

describe("a token of another tenant", () => {
  it.each(ME_ROUTES.map((r) => [routeName(r), r] as const))("-> 403 and no data on %s", async (_n, route) => {
    for (const token of [a.token]) {
      const text = await expectError(
        await send(route, b.tenantId, bMember.userId, bearer(token)),
        403,
        "forbidden",
      );
      expect(text).not.toContain(b.email);
      expect(text).not.toContain(bMember.email);
    }
  });

  it("changed nothing in the other tenant", async () => {
    const profile = await call(`/api/v1/tenants/${b.tenantId}/me/profile`, { headers: bearer(b.token) });
    expect(await profile.json()).toMatchObject({ name: null, role: "owner" });
    const members = (await (
      await call(`/api/v1/tenants/${b.tenantId}/me/members`, { headers: bearer(b.token) })
    ).json()) as { items: Array<{ id: string; role: string }> };
    expect(members.items.find((m) => m.id === bMember.userId)?.role).toBe("member");
    // A's token still works at home: the refused logout did not end it.
    expect(
      (await call(`/api/v1/tenants/${a.tenantId}/me/profile`, { headers: bearer(a.token) })).status,
    ).toBe(200);
  });

  it("-> 403 for a well-signed token of tenant A naming B's user", async () => {
    const token = await forge({ tenantId: a.tenantId, userId: b.userId });
    await expectError(
      await send(ME_ROUTES[0] as Route, b.tenantId, b.userId, bearer(token)),
      403,
      "forbidden",
    );
  });
});

describe("bad or missing tokens -> 401", () => {
  const cases: Array<[string, () => Promise<HeadersInit>]> = [
    ["no Authorization header", async () => ({})],
    ["a non-Bearer scheme", async () => ({ authorization: `Basic ${btoa("a:b")}` })],
    ["garbage", async () => bearer("not-a-jwt")],
    [
      "alg none",
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          iss: "cip",
          aud: b.tenantId,
          sub: b.userId,
          role: "owner",
          iat: now,
          exp: now + 600,
        };
        return bearer(`${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`);
      },
    ],
    [
      "a wrong key",
      async () => bearer(await forge(b, { secret: new TextEncoder().encode("wrong-secret-".repeat(4)) })),
    ],
    ["HS512 with the right key", async () => bearer(await forge(b, { alg: "HS512" }))],
    ["an expired token", async () => bearer(await forge(b, { exp: Math.floor(Date.now() / 1000) - 30 }))],
    ["another issuer", async () => bearer(await forge(b, { iss: "not-cip" }))],
    [
      "an unknown user",
      async () => bearer(await forge({ tenantId: b.tenantId, userId: crypto.randomUUID() })),
    ],
  ];
  it.each(cases)("%s", async (_label, headers) => {
    const h = await headers();
    for (const route of ME_ROUTES) {
      await expectError(await send(route, b.tenantId, bMember.userId, h), 401, "unauthorized");
    }
  });

  it("the forged-token recipe itself is accepted (so the cases above fail for their one reason)", async () => {
    const res = await call(`/api/v1/tenants/${b.tenantId}/me/profile`, { headers: bearer(await forge(b)) });
    expect(res.status).toBe(200);
  });
});

describe("a weak JWT_SECRET", () => {
  it.each([
    ["missing", undefined],
    ["short", "too-short-secret"],
  ])("%s: sign-in and /me answer 503 misconfigured instead of signing", async (_label, secret) => {
    const overrides = { JWT_SECRET: secret };
    const login = await callAppDirect(
      "POST",
      `/api/v1/tenants/${a.tenantId}/login`,
      { email: a.email, password: a.password },
      { overrides },
    );
    const text = await expectError(login, 503, "misconfigured");
    expect(text).toMatch(/JWT_SECRET/);
    const me = await callAppDirect("GET", `/api/v1/tenants/${a.tenantId}/me/profile`, undefined, {
      overrides,
      headers: bearer(a.token),
    });
    await expectError(me, 503, "misconfigured");
  });
});
