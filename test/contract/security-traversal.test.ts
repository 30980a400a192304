/**
 * Path traversal and hostile names: every documented id parameter and slug refuses traversal forms
 * with a 4xx envelope (and deletes nothing); uploaded file names lose their directories and control
 * characters, so neither the storage key nor a response header can be steered by them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PNG } from "../fixtures/uploads.ts";
import { bearer } from "../helpers/accounts.ts";
import { call, readError } from "../helpers/http.ts";
import { isBearer, loadDocument, operations } from "../helpers/openapi.ts";
import { type Fixture, seedFixture, send } from "./harness.ts";
import { TRAVERSALS } from "./mutations.ts";

const doc = await loadDocument();
/** Every (operation, path parameter) pair except the tenant id, which the access tests cover. */
const cases = operations(doc).flatMap((op) =>
  op.parameters
    .filter((p) => p.in === "path" && p.name !== "tenant_id")
    .map((p) => [`${op.id} {${p.name}}`, op, p.name] as const),
);
/** Forms a URL keeps inside one path segment, plus the dot segments the URL parser resolves away. */
const FORMS = [...TRAVERSALS, "..", ".", "%2e%2e", "..%00", "%2e%2e%2f%2e%2e%2f%2e%2e%2fapi%2fv1%2fhealth"];

let fx: Fixture;
let snapshot: string;
const listing = async () => {
  const me = `/api/v1/tenants/${fx.owner.tenantId}/me`;
  const parts = await Promise.all(
    ["files", "documents", "galleries", "saved", "prompt/chunks", "members"].map(async (p) =>
      (await call(`${me}/${p}`, { headers: bearer(fx.owner.token) })).text(),
    ),
  );
  return parts.join("\n");
};

beforeAll(async () => {
  fx = await seedFixture();
  snapshot = await listing();
}, 60_000);

describe("traversal in path parameters", () => {
  it.each(cases)("%s -> 4xx envelope for every form", async (_label, op, name) => {
    for (const form of FORMS) {
      const path = Object.fromEntries(
        op.parameters
          .filter((p) => p.in === "path")
          .map((p) => [p.name, p.name === name ? form : (fx.pathHints[p.name]?.[0] ?? "")]),
      );
      const headers: Record<string, string> = isBearer(op) ? bearer(fx.owner.token) : {};
      const body = op.method === "GET" ? {} : { body: { kind: "json", value: {} } as const };
      const res = await send(op, { label: form, path, query: [], headers, ...body });
      const text = await res.clone().text();
      // The fixture's owner is no platform operator (none is configured here): operator routes refuse the
      // caller before they read the path, and test/integration/platform-operator.test.ts sends operators
      // bad ids.
      const allowed = [400, 404, 405, 415, 422, ...(op.path.startsWith("/api/v1/platform/") ? [403] : [])];
      expect(allowed, `${form}: ${text}`).toContain(res.status);
      await readError(res);
      expect(text).not.toMatch(/root:|\[extensions\]|"status":"ok"/);
    }
  });

  it("deleted or changed nothing", async () => {
    expect(await listing()).toBe(snapshot);
  });
});

describe("hostile upload names", () => {
  const NAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/absolute/path.png",
    "a\r\nSet-Cookie: stolen=1.png",
    'quote".png',
    "\u0000nul.png",
    `${"x".repeat(300)}.png`,
  ];

  it.each(NAMES.map((n) => [JSON.stringify(n).slice(0, 40), n] as const))(
    "%s: stored without directories or control characters (or refused), served with safe headers",
    async (_label, name) => {
      const path = `/api/v1/tenants/${fx.owner.tenantId}/me/files`;
      const form = new FormData();
      form.set("file", new File([PNG], name, { type: "image/png" }));
      const res = await call(path, { method: "POST", headers: bearer(fx.owner.token), body: form });
      // A name a multipart body cannot carry (raw CR/LF, NUL) may be refused: then with a 4xx envelope.
      if (res.status !== 201) {
        expect([400, 422], await res.clone().text()).toContain(res.status);
        await readError(res);
        return;
      }
      const stored = (await res.json()) as { id: string; name: string };
      expect(stored.name).not.toMatch(/[/\\]|^\.\.?$/);
      expect([...stored.name].some((ch) => ch.charCodeAt(0) < 32)).toBe(false);
      expect(stored.name.length).toBeLessThanOrEqual(255);
      const file = await call(`${path}/${stored.id}`, { headers: bearer(fx.owner.token) });
      expect(file.status).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
      expect(file.headers.get("set-cookie")).toBeNull();
      expect(file.headers.get("content-disposition") ?? "").not.toMatch(/[\r\n]|\.\.\//);
    },
  );
});
