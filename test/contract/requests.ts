/**
 * Generated well-formed requests for one documented operation: every parameter and body filled from
 * its schema, with real ids from the fixture most of the time (so routes answer 2xx, not only 404).
 */
import fc from "fast-check";
import { PNG } from "../fixtures/uploads.ts";
import { validValue } from "../helpers/arbitraries.ts";
import {
  deref,
  isBearer,
  mergeAllOf,
  type OpenApiDocument,
  type Operation,
  type Parameter,
} from "../helpers/openapi.ts";
import { type BodySpec, type Fixture, type FuzzRequest, pct } from "./harness.ts";

const enc = new TextEncoder();
const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function hinted(hints: string[] | undefined, generated: fc.Arbitrary<string>): fc.Arbitrary<string> {
  if (!hints?.length) return generated;
  return fc.oneof({ arbitrary: fc.constantFrom(...hints), weight: 4 }, { arbitrary: generated, weight: 1 });
}

const paramValue = (doc: OpenApiDocument, p: Parameter) => validValue(doc, p.schema ?? {}).map(asText);

function uploadBodies(op: Operation): fc.Arbitrary<BodySpec> {
  const text = enc.encode("# Notes\nWe open at nine. Ask about delivery.");
  const isImage = op.path.includes("/images");
  const bytes = isImage ? PNG : text;
  const type = isImage ? "image/png" : "text/markdown";
  return fc.constantFrom<BodySpec>(
    { kind: "bytes", bytes, type },
    { kind: "multipart", bytes, type, name: isImage ? "pixel.png" : "notes.md" },
  );
}

function jsonBody(doc: OpenApiDocument, op: Operation, fx: Fixture): fc.Arbitrary<unknown> | undefined {
  const schema = op.requestBody?.content["application/json"]?.schema;
  if (!schema) return undefined;
  const s = mergeAllOf(doc, deref(doc, schema));
  const props = s.properties ?? {};
  // Top-level fields with fixture values (dialog ids, visitor ids, known e-mails) use them now and then.
  const hintedProps = Object.keys(props).filter((k) => fx.fieldHints[k]);
  return validValue(doc, s).chain((value) => {
    if (!value || typeof value !== "object" || !hintedProps.length) return fc.constant(value);
    const picks = hintedProps.map((k) =>
      fc.option(fc.constantFrom(...(fx.fieldHints[k] ?? [])), { freq: 2 }),
    );
    return fc.tuple(...picks).map((chosen) => {
      const out = { ...(value as Record<string, unknown>) };
      chosen.forEach((v, i) => {
        const key = hintedProps[i] as string;
        if (v !== null && (key in out || s.required?.includes(key))) out[key] = v;
      });
      return out;
    });
  });
}

/** A request the document says is well-formed. */
export function validRequest(
  doc: OpenApiDocument,
  op: Operation,
  fx: Fixture,
  token: string,
): fc.Arbitrary<FuzzRequest> {
  const pathArbs: Record<string, fc.Arbitrary<string>> = {};
  const queryArbs: Array<fc.Arbitrary<[string, string] | null>> = [];
  const headerArbs: Array<fc.Arbitrary<[string, string] | null>> = [];
  for (const p of op.parameters) {
    if (p.in === "path") {
      pathArbs[p.name] = hinted(fx.pathHints[p.name], paramValue(doc, p)).map(pct);
    } else if (p.in === "query" || p.in === "header") {
      const value = hinted(fx.fieldHints[p.name], paramValue(doc, p)).map((v): [string, string] => [
        p.name,
        v,
      ]);
      const arb = p.required ? value : fc.option(value, { freq: 2 });
      (p.in === "query" ? queryArbs : headerArbs).push(arb);
    }
  }
  const json = jsonBody(doc, op, fx);
  const body: fc.Arbitrary<BodySpec | undefined> = json
    ? json.map((value): BodySpec => ({ kind: "json", value }))
    : op.requestBody
      ? uploadBodies(op)
      : fc.constant(undefined);
  return fc
    .record({
      path: fc.record(pathArbs),
      query: fc.tuple(...queryArbs),
      headers: fc.tuple(...headerArbs),
      body,
    })
    .map(({ path, query, headers, body }) => ({
      label: "valid",
      path,
      query: query.filter((q): q is [string, string] => q !== null),
      headers: {
        ...Object.fromEntries(headers.filter((h): h is [string, string] => h !== null)),
        ...(isBearer(op) ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body ? { body } : {}),
    }));
}
