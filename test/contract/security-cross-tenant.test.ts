/**
 * The cross-tenant matrix over every documented operation, driven by the OpenAPI document (so a new
 * route is in the matrix the day it is documented):
 * - tenant A's owner token on tenant B's paths (B's real ids) -> 403/404, never B's data;
 * - A's token on A's paths naming B's resources (ids of B's rows) -> 4xx, never B's data;
 * - no token on a bearer route -> 401;
 * and afterwards B's data is exactly as it was.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedOwner } from "../helpers/accounts.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { isBearer, loadDocument, type Operation, operations } from "../helpers/openapi.ts";
import { type Fixture, type FuzzRequest, seedFixture, send } from "./harness.ts";
import { validRequest } from "./requests.ts";

const doc = await loadDocument();
const ops = operations(doc);
const bearerOps = ops.filter(isBearer).map((op) => [op.id, op] as const);
const idParams = (op: Operation) => op.parameters.filter((p) => p.in === "path" && p.name !== "tenant_id");
/** Operations that name a resource of the tenant in their path (or a user of it), public ones included. */
const resourceOps = ops
  .filter((op) => op.path.includes("{tenant_id}") && idParams(op).length > 0)
  .map((op) => [op.id, op] as const);

let a: Owner;
let b: Fixture;
/** Strings only B's data contains. */
let markers: string[];
let snapshotBefore: string;

/** B's data as its owner sees it, for the before/after comparison. */
async function snapshot(): Promise<string> {
  const me = `/api/v1/tenants/${b.owner.tenantId}/me`;
  const parts = ["profile", "members", "prompt/chunks", "embed", "saved", "galleries", "files"];
  parts.push("documents", "telegram", "dialogs", "leads");
  const bodies = await Promise.all(
    parts.map(async (part) => {
      const res = await call(`${me}/${part}`, { headers: bearer(b.owner.token) });
      return `${part} ${res.status} ${await res.text()}`;
    }),
  );
  const file = await call(`${me}/files/${b.pathHints.file_id?.[0]}`, { headers: bearer(b.owner.token) });
  return [...bodies, `file ${file.status} ${await file.text()}`].join("\n");
}

/** One well-formed request for `op` (body and query from its schema), with the path and token given. */
function request(op: Operation, path: Record<string, string>, token?: string): FuzzRequest {
  const [sample] = fc.sample(validRequest(doc, op, b, token ?? ""), { numRuns: 1, seed: 7 });
  const headers = { ...sample?.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  else delete headers.authorization;
  return { label: "cross-tenant", query: sample?.query ?? [], body: sample?.body, headers, path };
}

const pathOf = (op: Operation, tenantId: string) =>
  Object.fromEntries(
    op.parameters
      .filter((p) => p.in === "path")
      .map((p) => [
        p.name,
        p.name === "tenant_id" ? tenantId : (b.pathHints[p.name]?.[0] ?? crypto.randomUUID()),
      ]),
  );

async function expectNoLeak(res: Response, allowed: number[]): Promise<void> {
  const text = await res.clone().text();
  expect(allowed, text).toContain(res.status);
  await readError(res);
  for (const marker of markers) expect(text).not.toContain(marker);
}

beforeAll(async () => {
  a = await seedOwner();
  b = await seedFixture();
  const me = `/api/v1/tenants/${b.owner.tenantId}/me`;
  const unique = crypto.randomUUID();
  markers = [
    `chunk-${unique}`,
    `note-${unique}`,
    `gallery-${unique}`,
    b.owner.email,
    b.member.email,
    b.visitor,
  ];
  const auth = bearer(b.owner.token);
  await callJson("POST", `${me}/prompt/chunks`, { question: "Q", text: markers[0] }, auth);
  await callJson("POST", `${me}/saved`, { kind: "note", note: markers[1] }, auth);
  await callJson("PATCH", `${me}/galleries/${b.pathHints.group_id?.[0]}`, { title: markers[2] }, auth);
  await callJson("PUT", `${me}/embed/settings`, { allowed_origins: ["https://b.example"] }, auth);
  // The fixture's chat turn reaches Postgres in the background: wait until B's data stops changing.
  snapshotBefore = await snapshot();
  for (let i = 0, settled = false; i < 20 && !settled; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await snapshot();
    settled = next === snapshotBefore;
    snapshotBefore = next;
  }
  for (const marker of markers) expect(snapshotBefore).toContain(marker);
}, 60_000);

describe("tenant A's owner token on tenant B's paths", () => {
  it.each(bearerOps)("%s -> 403/404, no data of B", async (_id, op) => {
    await expectNoLeak(await send(op, request(op, pathOf(op, b.owner.tenantId), a.token)), [403, 404]);
  });
});

describe("tenant A's token on A's paths with ids of B's rows", () => {
  it.each(resourceOps)("%s -> 4xx, no data of B", async (_id, op) => {
    const req = request(op, pathOf(op, a.tenantId), isBearer(op) ? a.token : undefined);
    if (op.path.endsWith("/stream")) req.query = [["user_id", b.visitor]];
    const res = await send(op, req);
    if (op.path.endsWith("/stop")) {
      // Stop answers whether a reply of the caller's dialog was running: never for someone else's.
      expect(await res.json()).toEqual({ stopped: false });
      return;
    }
    await expectNoLeak(res, [403, 404, 422]);
  });
});

describe("no token", () => {
  it.each(bearerOps)("%s -> 401", async (_id, op) => {
    const res = await send(op, request(op, pathOf(op, b.owner.tenantId)));
    expect(res.status).toBe(401);
    expect((await readError(res)).error.code).toBe("unauthorized");
  });
});

describe("afterwards", () => {
  it("B's data is exactly as it was, and A's session still works", async () => {
    expect(await snapshot()).toBe(snapshotBefore);
    const res = await call(`/api/v1/tenants/${a.tenantId}/me/profile`, { headers: bearer(a.token) });
    expect(res.status).toBe(200);
  });
});
