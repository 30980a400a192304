/**
 * Bearer tokens across the cabinet: every documented bearer GET route (and the admin chat) refuses
 * `alg: none`, a wrong key, another algorithm, an expired or expiry-less token, a tampered payload and a
 * token of another tenant; and a role claim the database does not back changes nothing.
 */
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, type Owner, seedMember, seedOwner } from "../helpers/accounts.ts";
import { call, callJson, readError } from "../helpers/http.ts";
import { isBearer, loadDocument, type Operation, operations } from "../helpers/openapi.ts";

const doc = await loadDocument();
const ADMIN_CHAT = "POST /api/v1/tenants/{tenant_id}/admin/chat/message";
const routes = operations(doc).filter((op) => isBearer(op) && (op.method === "GET" || op.id === ADMIN_CHAT));

let a: Owner;
let b: Owner;
let bMember: Owner;
beforeAll(async () => {
  [a, b] = await Promise.all([seedOwner(), seedOwner()]);
  bMember = await seedMember(b);
});

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const key = (secret = env.JWT_SECRET) => new TextEncoder().encode(secret);

interface Forge {
  tenantId?: string;
  userId?: string;
  role?: string;
  alg?: "HS256" | "HS384" | "HS512";
  secret?: string;
  exp?: number | null;
}
/** A token signed the way the app signs, with one thing changed. */
async function forge(who: Owner, opts: Forge = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ role: opts.role ?? "owner", iat_ms: Date.now() })
    .setProtectedHeader({ alg: opts.alg ?? "HS256", typ: "JWT" })
    .setIssuer("cip")
    .setAudience(opts.tenantId ?? who.tenantId)
    .setSubject(opts.userId ?? who.userId)
    .setIssuedAt(now);
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 600);
  return jwt.sign(key(opts.secret));
}

function send(op: Operation, tenantId: string, token: string): Promise<Response> {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === "tenant_id" ? tenantId : crypto.randomUUID(),
  );
  const headers = bearer(token);
  return op.method === "GET"
    ? call(path, { headers })
    : callJson(op.method, path, { message: "Add a chunk saying we are open on Sundays." }, headers);
}

const CASES: Array<[string, () => Promise<string>]> = [
  [
    "alg none",
    async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: "cip", aud: b.tenantId, sub: b.userId, role: "owner", iat: now, exp: now + 600 };
      return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`;
    },
  ],
  ["a wrong key", () => forge(b, { secret: "not-the-secret-not-the-secret-not-the-secret" })],
  ["HS512 with the right key", () => forge(b, { alg: "HS512" })],
  ["an expired token", () => forge(b, { exp: Math.floor(Date.now() / 1000) - 5 })],
  ["no expiry", () => forge(b, { exp: null })],
  [
    "a tampered payload (member -> owner)",
    async () => {
      const [header, , signature] = (await forge(bMember, { role: "member" })).split(".");
      const payload = JSON.parse(atob((await forge(bMember)).split(".")[1] ?? ""));
      return `${header}.${b64url({ ...payload, sub: b.userId })}.${signature}`;
    },
  ],
  ["garbage", async () => "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"],
];

describe.each(CASES)("%s", (_label, makeToken) => {
  it.each(routes.map((op) => [op.id, op] as const))("%s -> 401", async (_id, op) => {
    const res = await send(op, b.tenantId, await makeToken());
    expect(res.status, await res.clone().text()).toBe(401);
    expect((await readError(res)).error.code).toBe("unauthorized");
  });
});

describe("a well-signed token of another tenant", () => {
  it.each(routes.map((op) => [op.id, op] as const))("%s -> 403", async (_id, op) => {
    for (const token of [
      a.token,
      await forge(a, { userId: b.userId }),
      await forge(b, { tenantId: a.tenantId }),
    ]) {
      const res = await send(op, b.tenantId, token);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain(b.email);
    }
  });
});

describe("a role claim the database does not back", () => {
  it.each(routes.map((op) => [op.id, op] as const))(
    "%s: a member claiming owner is a member",
    async (_id, op) => {
      const real = await send(op, b.tenantId, bMember.token);
      const claimed = await send(op, b.tenantId, await forge(bMember, { role: "owner" }));
      expect(claimed.status).toBe(real.status);
      await Promise.all([real.body?.cancel(), claimed.body?.cancel()]);
    },
  );
});
