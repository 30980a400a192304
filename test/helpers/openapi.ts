/**
 * The app's OpenAPI document as the tests see it: its operations, `$ref` resolution, and a small
 * JSON-schema validator for the subset the document uses (zod-openapi's output).
 */
import { call } from "./http.ts";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
  description?: string;
}

export interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface MediaType {
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  /** The documented path, `{param}` style, with the /api/v1 prefix. */
  path: string;
  /** "METHOD /path" for messages. */
  id: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Omit<Operation, "method" | "path" | "id">>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

let cached: Promise<OpenApiDocument> | undefined;
/** The document the running app serves (fetched once per test file). */
export function loadDocument(): Promise<OpenApiDocument> {
  cached ??= call("/api/v1/openapi.json").then(async (res) => {
    if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
    return (await res.json()) as OpenApiDocument;
  });
  return cached;
}

export function operations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const upper = method.toUpperCase();
      out.push({ ...op, parameters: op.parameters ?? [], method: upper, path, id: `${upper} ${path}` });
    }
  }
  return out;
}

/** `/a/{b}/c` -> `/a/:b/c` (Hono's spelling). */
export const toHonoPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

export const isBearer = (op: Operation) => (op.security ?? []).some((s) => "bearer" in s);

/** Follows `$ref`s (only local `#/components/schemas/...` ones exist). */
export function deref(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const next = doc.components?.schemas?.[name];
    if (!next || hops > 20) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = next;
  }
  return current;
}

/** `allOf` of object schemas (zod's `.extend()` of a named schema) as one object schema. */
export function mergeAllOf(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  const { allOf, ...rest } = schema;
  const parts = allOf.map((p) => mergeAllOf(doc, deref(doc, p)));
  return {
    ...rest,
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), rest.properties),
    required: [...new Set([...parts.flatMap((p) => p.required ?? []), ...(rest.required ?? [])])],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const typeMatches = (wanted: string, actual: string) =>
  wanted === actual || (wanted === "number" && actual === "integer");

export interface ValidateOptions {
  /** Report object properties the schema does not declare (responses: nothing undocumented leaks). */
  strict?: boolean;
}

/** Problems of `value` against `schema`, as `path: message` lines; empty when it conforms. */
export function validate(
  doc: OpenApiDocument,
  schema: JsonSchema,
  value: unknown,
  opts: ValidateOptions = {},
  at = "$",
): string[] {
  const s = mergeAllOf(doc, deref(doc, schema));
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${at}: ${message}`);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives && !alternatives.some((alt) => validate(doc, alt, value, opts, at).length === 0)) {
    fail("matches none of the alternatives");
  }
  if (s.enum && !s.enum.some((e) => e === value)) fail(`${JSON.stringify(value)} is not one of the enum`);
  if ("const" in s && s.const !== value) fail(`is not ${JSON.stringify(s.const)}`);
  const actual = typeOf(value);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(t, actual))) {
      fail(`is ${actual}, expected ${types.join("|")}`);
      return errors;
    }
  }
  if (typeof value === "string") errors.push(...stringProblems(s, value, at));
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) fail(`${value} < minimum ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`${value} > maximum ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) fail(`fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) fail(`more than ${s.maxItems} items`);
    const items = s.items;
    if (items) value.forEach((v, i) => void errors.push(...validate(doc, items, v, opts, `${at}[${i}]`)));
  }
  if (actual === "object") errors.push(...objectProblems(doc, s, value as Record<string, unknown>, opts, at));
  return errors;
}

function stringProblems(s: JsonSchema, value: string, at: string): string[] {
  const errors: string[] = [];
  // JSON Schema counts code points, not UTF-16 units.
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
  if (s.maxLength !== undefined && length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
  if (s.pattern && !new RegExp(s.pattern, "u").test(value)) errors.push(`${at}: does not match ${s.pattern}`);
  const formats: Record<string, RegExp> = { uuid: UUID, email: EMAIL, "date-time": DATE_TIME };
  const format = s.format ? formats[s.format] : undefined;
  if (format && !format.test(value)) errors.push(`${at}: not a ${s.format}: ${JSON.stringify(value)}`);
  return errors;
}

function objectProblems(
  doc: OpenApiDocument,
  s: JsonSchema,
  value: Record<string, unknown>,
  opts: ValidateOptions,
  at: string,
): string[] {
  const errors: string[] = [];
  const props = s.properties ?? {};
  for (const key of s.required ?? []) if (!(key in value)) errors.push(`${at}: missing "${key}"`);
  for (const [key, v] of Object.entries(value)) {
    const prop = props[key];
    if (prop) errors.push(...validate(doc, prop, v, opts, `${at}.${key}`));
    else if (s.additionalProperties === false || (opts.strict && s.properties)) {
      errors.push(`${at}: undocumented property "${key}"`);
    } else if (typeof s.additionalProperties === "object") {
      errors.push(...validate(doc, s.additionalProperties, v, opts, `${at}.${key}`));
    }
  }
  return errors;
}

/** The error envelope every non-2xx API answer must be. */
export function envelopeProblems(body: unknown): string[] {
  const errors: string[] = [];
  const root = body as { error?: Record<string, unknown> } | null;
  if (!root || typeof root !== "object" || Array.isArray(root)) return ["body is not a JSON object"];
  const extra = Object.keys(root).filter((k) => k !== "error");
  if (extra.length) errors.push(`extra top-level keys ${extra.join(",")}`);
  const err = root.error;
  if (!err || typeof err !== "object") return [...errors, "no error object"];
  if (typeof err.code !== "string" || !/^[a-z][a-z0-9_]*$/.test(err.code))
    errors.push("code is not snake_case");
  if (typeof err.message !== "string" || err.message === "") errors.push("message is not a text");
  return errors;
}
