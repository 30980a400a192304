/**
 * The dialog sync writes its values into the statement's text (src/db/inline-sql.ts) so that BEGIN, the
 * tenant scope, the statement and COMMIT take one round trip. Hostile text must come back byte for byte
 * through both drivers, whatever the session's `standard_conforming_strings` says.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type DbEnv, openDatabase, openUnscopedDatabase } from "../../src/db/client.ts";
import { inlineStatement, quoteLiteral } from "../../src/db/inline-sql.ts";

const DEMO_ID = "00000000-0000-4000-8000-000000000001";

const HOSTILE = [
  "plain",
  "",
  "it's",
  "''",
  "\\",
  "\\'",
  "a\\'; drop table tenants; --",
  "'); delete from messages where ('1'='1",
  "E'\\x41'",
  "$1 $2 $$ $tag$ body $tag$",
  "back\\slash\\n and \\\\ doubled",
  "newline\nand\r\ntab\t",
  "Привет, мир 👋 — «кавычки»",
  '{"json": "in a string", "quote": "\\""}',
  "\u2028\u2029\ufeff",
];

const drivers: Array<[string, () => DbEnv]> = [
  ["pg over Hyperdrive", () => ({ HYPERDRIVE: env.HYPERDRIVE })],
  [
    "Neon serverless driver",
    () => ({ DATABASE_URL: env.TEST_DIRECT_DATABASE_URL, NEON_WS_PROXY: env.TEST_NEON_WS_PROXY }),
  ],
];

describe("inlined statements (one-round-trip sync)", () => {
  it("writes a literal that reads the same under either standard_conforming_strings", () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("a\\b")).toBe(" E'a\\\\b'");
    expect(inlineStatement(sql`select ${1}::int, ${true}, ${null}, ${"x'y"}, ${{ a: "b" }}`)).toBe(
      `select 1::int, true, null, 'x''y', '{"a":"b"}'`,
    );
    for (const value of [undefined, new Date(0), 10n, Number.NaN])
      expect(() => inlineStatement(sql`select ${value}`)).toThrow(/cannot write/);
  });

  for (const [name, dbEnv] of drivers)
    for (const conforming of ["on", "off"])
      it(`${name}, standard_conforming_strings=${conforming}: hostile text round-trips`, async () => {
        const handle = openUnscopedDatabase(dbEnv());
        try {
          await handle.db.execute(sql.raw(`set standard_conforming_strings = ${conforming}`));
          for (const text of HOSTILE) {
            const rows = await handle.db.execute<{ v: string; j: unknown }>(
              sql.raw(
                inlineStatement(sql`select ${text}::text as v, ${JSON.stringify({ text })}::jsonb as j`),
              ),
            );
            expect(rows.rows[0]).toEqual({ v: text, j: { text } });
          }
          const tenants = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from tenants`);
          expect(tenants.rows[0]?.n).toBeGreaterThan(0);
        } finally {
          await handle.close();
        }
      });

  for (const [name, dbEnv] of drivers)
    it(`${name}: once() runs an inlined statement scoped to the tenant and committed`, async () => {
      const handle = openDatabase(dbEnv(), () => DEMO_ID);
      try {
        const rows = await handle.once<{ tenant: string; role: string; v: string }>(
          sql`select current_setting('app.tenant_id') as tenant, current_user as role, ${HOSTILE[6] as string} as v`,
        );
        expect(rows).toEqual([{ tenant: DEMO_ID, role: "cip_app", v: HOSTILE[6] }]);
      } finally {
        await handle.close();
      }
    });
});
