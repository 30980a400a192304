/**
 * Hostile requests for one documented operation: `invalidRequest` breaks exactly one thing of a
 * well-formed request (a path id, a query value, a body field, the whole body, its content type, the
 * token); `hostileSweep` puts each hostile string into every body field and query parameter at once,
 * and each critical one into one field at a time.
 */
import fc from "fast-check";
import { PNG } from "../fixtures/uploads.ts";
import { HOSTILE_STRINGS, invalidValue } from "../helpers/arbitraries.ts";
import { deref, isBearer, mergeAllOf, type OpenApiDocument, type Operation } from "../helpers/openapi.ts";
import { type BodySpec, type Fixture, type FuzzRequest, pct } from "./harness.ts";
import { validRequest } from "./requests.ts";

const enc = new TextEncoder();
const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Path values that must never reach a file or row outside the tenant: each one -> a 4xx. */
export const TRAVERSALS: readonly string[] = [
  "..%2F..%2Fetc%2Fpasswd",
  "..%2F..%2F..%2F..%2Fetc%2Fpasswd%00.png",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%5C..%5Cwindows%5Cwin.ini",
  "%00",
  "a%2Fb",
  "%C0%AE%C0%AE%2F",
  "%252e%252e%252f",
  "x".repeat(3000),
];

type Mutation = (req: FuzzRequest) => FuzzRequest;
const m =
  (label: string, f: (req: FuzzRequest) => Omit<FuzzRequest, "label">): Mutation =>
  (req) => ({
    ...f(req),
    label,
  });

const BAD_JSON_TEXTS = [
  '{"a":',
  "{",
  "",
  "null",
  "[]",
  '"text"',
  "\u0000",
  "\uFEFF{}",
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  '{"__proto__":{"admin":true}}',
];
const BAD_TOKENS = [
  "Bearer",
  "Bearer ",
  "Bearer a.b.c",
  "Basic YTpi",
  `Bearer ${"x".repeat(8000)}`,
  "bearer null",
  "Bearer eyJhbGciOiJub25lIn0.e30.",
];

function mutations(doc: OpenApiDocument, op: Operation): fc.Arbitrary<Mutation>[] {
  const out: fc.Arbitrary<Mutation>[] = [];
  for (const p of op.parameters) {
    const bad = fc.oneof(invalidValue(doc, p.schema ?? {}).map(asText), fc.constantFrom(...HOSTILE_STRINGS));
    if (p.in === "path") {
      const raw = fc.oneof(bad.map(pct), fc.constantFrom(...TRAVERSALS));
      out.push(
        raw.map((v) =>
          m(`path ${p.name}=${v.slice(0, 40)}`, (r) => ({ ...r, path: { ...r.path, [p.name]: v } })),
        ),
      );
    } else if (p.in === "query") {
      out.push(
        bad.map((v) =>
          m(`query ${p.name}`, (r) => ({
            ...r,
            query: [...r.query.filter(([k]) => k !== p.name), [p.name, v]],
          })),
        ),
      );
      out.push(
        fc.constant(
          m(`query ${p.name} twice`, (r) => ({ ...r, query: [...r.query, [p.name, "1"], [p.name, "2"]] })),
        ),
      );
    } else if (p.in === "header") {
      const latin1 = fc.constantFrom("abc", "-1", "99999999", "1e9", " ", "\t1");
      out.push(
        latin1.map((v) => m(`header ${p.name}`, (r) => ({ ...r, headers: { ...r.headers, [p.name]: v } }))),
      );
    }
  }
  out.push(
    fc
      .constantFrom(...HOSTILE_STRINGS)
      .map((v) => m("unknown query param", (r) => ({ ...r, query: [...r.query, ["zz_unknown", v]] }))),
  );
  if (isBearer(op)) {
    out.push(
      fc.constantFrom(...BAD_TOKENS, "").map((v) =>
        m(`authorization ${v.slice(0, 20)}`, (r) => ({
          ...r,
          headers: { ...r.headers, authorization: v },
        })),
      ),
    );
  }
  const schema = op.requestBody?.content["application/json"]?.schema;
  if (schema) {
    out.push(
      invalidValue(doc, schema).map((value) =>
        m("invalid JSON body", (r) => ({ ...r, body: { kind: "json", value } })),
      ),
    );
    out.push(
      fc.constantFrom(...BAD_JSON_TEXTS).map((text) =>
        m(`malformed JSON ${text.slice(0, 12)}`, (r) => ({
          ...r,
          body: { kind: "text", text, type: "application/json" },
        })),
      ),
    );
    const wrongType = fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      undefined,
    );
    out.push(
      wrongType.map((type) =>
        m(`content-type ${type}`, (r) => ({
          ...r,
          body: {
            kind: "text",
            text: JSON.stringify(r.body?.kind === "json" ? r.body.value : {}),
            ...(type ? { type } : {}),
          },
        })),
      ),
    );
    out.push(
      fc.constant(
        m("body over the JSON cap", (r) => ({
          ...r,
          body: { kind: "json", value: { pad: "z".repeat(300_000) } },
        })),
      ),
    );
    out.push(
      fc.constantFrom(...HOSTILE_STRINGS).map((s) =>
        m("hostile text in every string field", (r) => ({
          ...r,
          body: { kind: "json", value: hostileFields(r.body, s) },
        })),
      ),
    );
  } else if (op.requestBody) {
    const bodies: BodySpec[] = [
      { kind: "bytes", bytes: new Uint8Array(0), type: "application/octet-stream" },
      { kind: "bytes", bytes: enc.encode("<html><script>alert(1)</script></html>"), type: "text/html" },
      { kind: "bytes", bytes: enc.encode("%PDF-1.7 broken"), type: "application/pdf" },
      { kind: "text", text: "--x\r\nbroken multipart", type: "multipart/form-data; boundary=x" },
      { kind: "multipart", bytes: PNG, type: "image/png", name: "../../etc/passwd", field: "file" },
      { kind: "multipart", bytes: PNG, type: "image/png", name: "a.png", field: "not_file" },
    ];
    out.push(
      fc
        .constantFrom(...bodies)
        .map((body) => m(`upload ${body.kind} ${body.type}`, (r) => ({ ...r, body }))),
    );
  }
  return out;
}

/** Every string field of a JSON body set to `s` (other fields kept). */
function hostileFields(body: BodySpec | undefined, s: string): unknown {
  if (body?.kind !== "json" || !body.value || typeof body.value !== "object") return { field: s };
  return Object.fromEntries(Object.entries(body.value).map(([k, v]) => [k, typeof v === "string" ? s : v]));
}

/** A valid request with one thing broken. */
export function invalidRequest(
  doc: OpenApiDocument,
  op: Operation,
  fx: Fixture,
  token: string,
): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(validRequest(doc, op, fx, token), fc.oneof(...mutations(doc, op)))
    .map(([req, mutate]) => mutate(req));
}

/** The strings that broke storage before (NUL, lone surrogates, non-characters): tried field by field. */
const CRITICAL = ["\u0000", "a\u0000b", "\uD800", "\uFFFF\uFFFE", "\u202Egnp.exe", "😀 日本語"];

/** Top-level string fields of the operation's JSON body. */
function stringFields(doc: OpenApiDocument, op: Operation): string[] {
  const schema = op.requestBody?.content["application/json"]?.schema;
  if (!schema) return [];
  const props = mergeAllOf(doc, deref(doc, schema)).properties ?? {};
  return Object.entries(props)
    .filter(([, prop]) => [deref(doc, prop).type].flat().includes("string"))
    .map(([name]) => name);
}

/**
 * The deterministic half of the hostile run, on top of one well-formed request: each hostile string in
 * every body field and query parameter at once, then each critical string in one field at a time (the
 * others stay valid, so the value reaches the service and the database, not only the validator).
 */
export function hostileSweep(doc: OpenApiDocument, op: Operation, fx: Fixture, token: string): FuzzRequest[] {
  const [base] = fc.sample(validRequest(doc, op, fx, token), { numRuns: 1, seed: 8 });
  if (!base) return [];
  const queryNames = op.parameters.filter((p) => p.in === "query").map((p) => p.name);
  const all = HOSTILE_STRINGS.map(
    (s): FuzzRequest => ({
      ...base,
      label: `sweep ${JSON.stringify(s).slice(0, 24)}`,
      query: queryNames.map((name): [string, string] => [name, s]),
      ...(base.body?.kind === "json" ? { body: { kind: "json", value: hostileFields(base.body, s) } } : {}),
    }),
  );
  const value =
    base.body?.kind === "json" && base.body.value && typeof base.body.value === "object"
      ? base.body.value
      : {};
  const one = CRITICAL.flatMap((s) => [
    ...stringFields(doc, op).map(
      (field): FuzzRequest => ({
        ...base,
        label: `field ${field}=${JSON.stringify(s)}`,
        body: { kind: "json", value: { ...value, [field]: s } },
      }),
    ),
    ...queryNames.map(
      (name): FuzzRequest => ({
        ...base,
        label: `query ${name}=${JSON.stringify(s)}`,
        query: [...base.query.filter(([k]) => k !== name), [name, s]],
      }),
    ),
  ]);
  return [...all, ...one];
}
