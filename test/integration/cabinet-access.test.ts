/**
 * The access matrix of the cabinet routes of issue 5 (dialogs, prompt chunks, embed, saved items):
 * a token of tenant A on any route of tenant B -> 403 and no data; no token -> 401; a member on an
 * owner-only route -> 403. Authorization runs before validation, so even a bad body never leaks a 422.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, readError } from "../helpers/http.ts";

interface RouteCase {
  method: string;
  path: (tenantId: string) => string;
  body?: unknown;
  ownerOnly: boolean;
}

const id = "00000000-0000-4000-8000-0000000000aa";
const me = (t: string) => `/api/v1/tenants/${t}/me`;
const ROUTES: RouteCase[] = [
  { method: "GET", path: (t) => `${me(t)}/dialogs`, ownerOnly: false },
  { method: "GET", path: (t) => `${me(t)}/dialogs?q=secret&limit=5`, ownerOnly: false },
  { method: "GET", path: (t) => `${me(t)}/dialogs/${id}`, ownerOnly: false },
  // Dialog triage (issue 21): its filters, archive and delete.
  {
    method: "GET",
    path: (t) => `${me(t)}/dialogs?unread=true&archived=true&from=2026-01-01`,
    ownerOnly: false,
  },
  { method: "PATCH", path: (t) => `${me(t)}/dialogs/${id}`, body: { archived: true }, ownerOnly: false },
  { method: "DELETE", path: (t) => `${me(t)}/dialogs/${id}`, ownerOnly: true },
  { method: "GET", path: (t) => `${me(t)}/leads?from=2026-01-01&to=2026-12-31`, ownerOnly: true },
  { method: "GET", path: (t) => `${me(t)}/prompt/chunks`, ownerOnly: true },
  {
    method: "POST",
    path: (t) => `${me(t)}/prompt/chunks`,
    body: { question: "q", text: "t" },
    ownerOnly: true,
  },
  { method: "POST", path: (t) => `${me(t)}/prompt/chunks`, body: { bogus: true }, ownerOnly: true },
  { method: "PATCH", path: (t) => `${me(t)}/prompt/chunks/${id}`, body: { text: "t" }, ownerOnly: true },
  { method: "DELETE", path: (t) => `${me(t)}/prompt/chunks/${id}`, ownerOnly: true },
  { method: "GET", path: (t) => `${me(t)}/prompt/preview`, ownerOnly: true },
  { method: "GET", path: (t) => `${me(t)}/embed`, ownerOnly: true },
  { method: "PUT", path: (t) => `${me(t)}/embed/settings`, body: { allowed_origins: [] }, ownerOnly: true },
  { method: "GET", path: (t) => `${me(t)}/saved`, ownerOnly: false },
  { method: "POST", path: (t) => `${me(t)}/saved`, body: { kind: "note", note: "n" }, ownerOnly: false },
  { method: "DELETE", path: (t) => `${me(t)}/saved/${id}`, ownerOnly: false },
];

const send = (route: RouteCase, tenantId: string, headers: Record<string, string> = {}) =>
  call(route.path(tenantId), {
    method: route.method,
    headers: { "content-type": "application/json", ...headers },
    ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
  });

describe("cabinet access matrix", () => {
  let a: Owner;
  let b: Owner;
  let memberOfB: Owner;

  beforeAll(async () => {
    a = await seedOwner();
    b = await seedOwner();
    memberOfB = await seedMember(b);
  });

  const label = (r: RouteCase) => `${r.method} ${r.path("{tenant}")}`;

  it.each(ROUTES.map((r) => [label(r), r] as const))(
    "%s: A's owner on B -> 403, no data",
    async (_l, route) => {
      const res = await send(route, b.tenantId, bearer(a.token));
      expect(res.status).toBe(403);
      const body = await readError(res);
      expect(body.error.code).toBe("forbidden");
      expect(Object.keys(body)).toEqual(["error"]);
    },
  );

  it.each(ROUTES.map((r) => [label(r), r] as const))("%s: no token -> 401", async (_l, route) => {
    const res = await send(route, b.tenantId);
    expect(res.status).toBe(401);
    expect((await readError(res)).error.code).toBe("unauthorized");
  });

  it.each(ROUTES.filter((r) => r.ownerOnly).map((r) => [label(r), r] as const))(
    "%s: a member -> 403",
    async (_l, route) => {
      const res = await send(route, b.tenantId, bearer(memberOfB.token));
      expect(res.status).toBe(403);
    },
  );

  it("a garbage token or tenant id never reaches the data", async () => {
    const route = ROUTES[0] as RouteCase;
    expect((await send(route, b.tenantId, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await send(route, "not-a-uuid", bearer(b.token))).status).toBe(404);
  });
});

describe("OpenAPI document", () => {
  it("describes the cabinet routes", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const paths = Object.keys(((await res.json()) as { paths: Record<string, unknown> }).paths);
    const t = "/api/v1/tenants/{tenant_id}/me";
    expect(paths).toEqual(
      expect.arrayContaining([
        `${t}/dialogs`,
        `${t}/dialogs/{dialog_id}`,
        `${t}/prompt/chunks`,
        `${t}/prompt/chunks/{chunk_id}`,
        `${t}/prompt/preview`,
        `${t}/embed`,
        `${t}/embed/settings`,
        `${t}/saved`,
        `${t}/saved/{item_id}`,
      ]),
    );
  });
});
