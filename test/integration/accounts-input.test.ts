/** Hostile input on every account route: a 4xx JSON envelope, never a 500. */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, GOOD_PASSWORD, type Owner, seedOwner, uniqueName } from "../helpers/accounts.ts";
import { call, callJson, readError } from "../helpers/http.ts";

let owner: Owner;
beforeAll(async () => {
  owner = await seedOwner();
});

const fresh = () => `${uniqueName("x")}@example.com`;

describe("bad bodies never give a 500", () => {
  const routes = (): Array<[string, string, Record<string, unknown>, HeadersInit]> => [
    [
      "POST",
      "/api/v1/tenants",
      { slug: uniqueName("b"), name: "n", email: fresh(), password: GOOD_PASSWORD },
      {},
    ],
    ["POST", `/api/v1/tenants/${owner.tenantId}/register`, { email: fresh(), password: GOOD_PASSWORD }, {}],
    ["POST", `/api/v1/tenants/${owner.tenantId}/login`, { email: fresh(), password: GOOD_PASSWORD }, {}],
    ["POST", `/api/v1/tenants/${owner.tenantId}/confirm/resend`, { email: fresh() }, {}],
    ["POST", `/api/v1/tenants/${owner.tenantId}/password/reset`, { email: fresh() }, {}],
    [
      "POST",
      `/api/v1/tenants/${owner.tenantId}/password/reset/confirm`,
      { token: "t", password: GOOD_PASSWORD },
      {},
    ],
    ["PATCH", `/api/v1/tenants/${owner.tenantId}/me/profile`, { current_password: "x" }, bearer(owner.token)],
    [
      "PATCH",
      `/api/v1/tenants/${owner.tenantId}/me/members/${owner.userId}`,
      { role: "owner" },
      bearer(owner.token),
    ],
  ];
  const huge = "a".repeat(10_000);
  /** Label, body maker (null: does not apply to this route), expected status and code when exact. */
  const bodies: Array<[string, (valid: Record<string, unknown>) => string | null, number?, string?]> = [
    ["missing fields", () => "{}"],
    ["wrong types", (v) => JSON.stringify(Object.fromEntries(Object.keys(v).map((k) => [k, 12345]))), 422],
    [
      "nested objects",
      (v) => JSON.stringify(Object.fromEntries(Object.keys(v).map((k) => [k, { $ne: 1 }]))),
      422,
    ],
    [
      "a 10k-character e-mail",
      (v) => ("email" in v ? JSON.stringify({ ...v, email: `${huge}@x.co` }) : null),
      422,
    ],
    [
      "10k-character strings",
      (v) => JSON.stringify(Object.fromEntries(Object.keys(v).map((k) => [k, huge]))),
      422,
    ],
    ["a 300 KB body", (v) => JSON.stringify({ ...v, pad: "x".repeat(300 * 1024) }), 413, "payload_too_large"],
    ["malformed JSON", () => '{"email": "a@b.co",', 400, "invalid_json"],
    ["an empty body", () => "", 400],
    ["an array", () => "[]", 422],
    ["null", () => "null", 422],
    ["a bare string", () => '"hello"', 422],
    ["unknown keys only", () => JSON.stringify({ admin: true, role: 1 }), 422],
    ["deep nesting", () => `${"[".repeat(5000)}${"]".repeat(5000)}`],
  ];

  it("every account route answers each bad body with a 4xx JSON envelope", { timeout: 90_000 }, async () => {
    for (const [method, path, valid, headers] of routes()) {
      for (const [label, make, status, code] of bodies) {
        const body = make(valid);
        if (body === null) continue;
        const res = await call(path, {
          method,
          headers: { ...headers, "content-type": "application/json" },
          body,
        });
        const where = `${method} ${path} with ${label}: ${res.status}`;
        if (path.endsWith("/me/profile") && label === "missing fields") {
          expect(res.status, where).toBe(200); // an empty patch is a valid no-op
          continue;
        }
        expect(res.status, where).toBeGreaterThanOrEqual(400);
        expect(res.status, where).toBeLessThan(500);
        if (status) expect(res.status, where).toBe(status);
        const answer = await readError(res);
        if (code) expect(answer.error.code, where).toBe(code);
      }
    }
  });

  it("a wrong or missing content type -> 4xx envelope", async () => {
    const [, path, valid] = routes()[2] as [string, string, Record<string, unknown>, HeadersInit];
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/octet-stream",
      null,
    ]) {
      const headers: Record<string, string> = type ? { "content-type": type } : {};
      const res = await call(path, { method: "POST", headers, body: JSON.stringify(valid) });
      expect(res.status, `${type}: ${res.status}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await readError(res);
    }
  });

  it("bad path and query values -> 4xx envelope", async () => {
    const probes: Array<[string, string]> = [
      ["GET", `/api/v1/tenants/by-slug/${owner.slug}/confirm`],
      ["GET", `/api/v1/tenants/by-slug/${owner.slug}/confirm?token=${"a".repeat(10_000)}`],
      ["GET", "/api/v1/tenants/by-slug/NOT%20A%20SLUG/confirm?token=abc"],
      ["POST", "/api/v1/tenants/not-a-uuid/login"],
      ["POST", `/api/v1/tenants/${crypto.randomUUID()}/login`],
      ["PATCH", `/api/v1/tenants/${owner.tenantId}/me/members/not-a-uuid`],
      ["POST", `/api/v1/tenants/${owner.tenantId}/logout`],
    ];
    for (const [method, path] of probes) {
      const res = await callJson(
        method,
        path,
        method === "GET" ? undefined : { email: fresh(), password: "x" },
        {
          ...(path.includes("/me/") ? bearer(owner.token) : {}),
        },
      );
      expect(res.status, `${method} ${path.slice(0, 80)}: ${res.status}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await readError(res);
    }
  });
});
