/**
 * A block's `key=value` arguments typed by the tool's JSON Schema: numbers, integers and booleans parsed,
 * objects and arrays read as JSON (at most 4096 characters, 32 levels deep), strings as written. Keys match the schema's property names without
 * regard to case (the block parser lower-cases keys). Arguments the schema does not name are dropped.
 */

import type { ToolArgsSchema } from "./types.ts";

export type ArgumentsResult =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; problem: "missing" | "invalid"; name: string };

/** A JSON argument longer than this, or nested deeper, has the wrong type. */
export const MAX_JSON_ARGUMENT_CHARS = 4096;
export const MAX_JSON_ARGUMENT_DEPTH = 32;

const TRUE = new Set(["true", "yes", "1", "on", "да"]);
const FALSE = new Set(["false", "no", "0", "off", "нет"]);

function typeOf(schema: unknown): string | undefined {
  const type = (schema as { type?: unknown } | undefined)?.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === "string" && t !== "null");
  return undefined;
}

/**
 * A number as written, with a decimal comma allowed only alone: no ".", exactly one "," between digits,
 * and not in the shape of a thousands group. NaN when it is not one.
 */
function parseNumber(raw: string): number {
  const text = raw.trim();
  if (text === "") return Number.NaN;
  if (!text.includes(",")) return Number(text);
  // Digits on both sides of the one comma, no dot; "1,000" could be 1 or 1000 either way: refused.
  if (!/^[+-]?\d+,\d+$/.test(text) || /^[+-]?[1-9]\d{0,2},\d{3}$/.test(text)) return Number.NaN;
  return Number(text.replace(",", "."));
}

/** Whether a parsed JSON value nests more than `max` objects/arrays deep (the value itself is level 1). */
function deeperThan(value: unknown, max: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (max === 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => deeperThan(child, max - 1));
}

function convert(type: string | undefined, raw: string): { ok: true; value: unknown } | { ok: false } {
  switch (type) {
    case "number":
    case "integer": {
      const n = parseNumber(raw);
      if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) {
        return { ok: false };
      }
      return { ok: true, value: n };
    }
    case "boolean": {
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return { ok: true, value: true };
      if (FALSE.has(v)) return { ok: true, value: false };
      return { ok: false };
    }
    case "object":
    case "array": {
      if (raw.length > MAX_JSON_ARGUMENT_CHARS) return { ok: false };
      try {
        const value: unknown = JSON.parse(raw);
        if (deeperThan(value, MAX_JSON_ARGUMENT_DEPTH)) return { ok: false };
        const isArray = Array.isArray(value);
        const fits = type === "array" ? isArray : typeof value === "object" && value !== null && !isArray;
        return fits ? { ok: true, value } : { ok: false };
      } catch {
        return { ok: false };
      }
    }
    default:
      return { ok: true, value: raw };
  }
}

/** `params` (without `server` and `tool`) as the tool's arguments, or the first problem. */
export function toolArguments(inputSchema: ToolArgsSchema, params: Record<string, string>): ArgumentsResult {
  const properties = (inputSchema.properties ?? {}) as Record<string, unknown>;
  const byLower = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]));
  const args: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(params)) {
    const name = byLower.get(key.toLowerCase());
    if (name === undefined) continue;
    const converted = convert(typeOf(properties[name]), raw);
    if (!converted.ok) return { ok: false, problem: "invalid", name };
    args[name] = converted.value;
  }
  const required = Array.isArray(inputSchema.required) ? inputSchema.required : [];
  for (const name of required) {
    if (typeof name === "string" && !Object.hasOwn(args, name))
      return { ok: false, problem: "missing", name };
  }
  return { ok: true, args };
}

/** The argument names of a schema, required ones first, for the prompt (`city*` marks required). */
export function argumentNames(inputSchema: ToolArgsSchema): string[] {
  const properties = Object.keys((inputSchema.properties ?? {}) as Record<string, unknown>);
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required : []);
  const typed = (name: string) => {
    const type = typeOf(((inputSchema.properties ?? {}) as Record<string, unknown>)[name]);
    return `${name}${required.has(name) ? "*" : ""}${type ? ` (${type})` : ""}`;
  };
  return [...properties.filter((p) => required.has(p)), ...properties.filter((p) => !required.has(p))].map(
    typed,
  );
}
