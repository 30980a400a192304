/**
 * The fuzzer checks itself: for every schema a request can carry (bodies and parameters of the real
 * document), what `validValue` generates passes the validator, and `invalidValue` does produce values
 * the validator refuses. The validator itself is pinned on a few known answers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidValue, validValue } from "../helpers/arbitraries.ts";
import { type JsonSchema, loadDocument, operations, validate } from "../helpers/openapi.ts";

const doc = await loadDocument();
const schemas = new Map<string, JsonSchema>();
for (const op of operations(doc)) {
  for (const p of op.parameters) if (p.schema) schemas.set(`${op.id} ${p.in} ${p.name}`, p.schema);
  const body = op.requestBody?.content["application/json"]?.schema;
  if (body) schemas.set(`${op.id} body`, body);
}
const cases = [...schemas].map(([name, schema]) => [name, schema] as const);

describe("generators", () => {
  it.each(cases)("%s: valid values pass the validator", (_name, schema) => {
    fc.assert(
      fc.property(validValue(doc, schema), (value) => {
        expect(validate(doc, schema, value)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it.each(cases)("%s: invalid values include refused ones", (_name, schema) => {
    const refused = fc
      .sample(invalidValue(doc, schema), { numRuns: 40 })
      .filter((v) => validate(doc, schema, v).length);
    expect(refused.length).toBeGreaterThan(10);
  });
});

describe("the validator", () => {
  const profile = {
    id: "6554a35e-a665-4e6a-a1c3-045d947cc809",
    tenant_id: "6554a35e-a665-4e6a-a1c3-045d947cc809",
    email: "a@example.com",
    name: null,
    locale: "en",
    role: "owner",
    confirmed_at: null,
    created_at: "2026-11-20T10:00:00.000Z",
    notify_leads: true,
    telegram_linked: false,
  };
  const ref = { $ref: "#/components/schemas/Profile" };

  it("accepts a conforming body", () => {
    expect(validate(doc, ref, profile, { strict: true })).toEqual([]);
  });

  it("reports undocumented properties (strict), wrong enums, types, formats and missing fields", () => {
    const { email: _email, ...noEmail } = profile;
    const bad = { ...noEmail, id: "nope", role: "admin", name: 5, password_hash: "scrypt$…" };
    const problems = validate(doc, ref, bad, { strict: true }).join("\n");
    for (const part of [
      'missing "email"',
      "$.id: not a uuid",
      "$.role",
      "$.name: is integer",
      '"password_hash"',
    ]) {
      expect(problems).toContain(part);
    }
    expect(validate(doc, ref, bad).join("\n")).not.toContain("password_hash");
  });

  it("merges allOf and checks nested items", () => {
    const problems = validate(
      doc,
      { $ref: "#/components/schemas/DialogDetail" },
      { messages: [{ seq: "1" }] },
    );
    expect(problems.join("\n")).toMatch(/missing "id"[\s\S]*\$\.messages\[0\]/);
  });

  it("counts code points, as JSON Schema does", () => {
    expect(validate(doc, { type: "string", maxLength: 2 }, "😀😀")).toEqual([]);
    expect(validate(doc, { type: "string", maxLength: 2 }, "😀😀😀")).toHaveLength(1);
  });
});
