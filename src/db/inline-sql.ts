/**
 * A drizzle statement as one SQL text with its values written in as literals, for `DbHandle.once`: the
 * simple query protocol takes no parameters, and it is what lets BEGIN, the tenant scope, the statement
 * and COMMIT travel in one round trip (the dialog sync, a cold tenant's prompt load).
 *
 * Strings are escaped as `pg`'s `escapeLiteral` does (quotes doubled; with a backslash, every backslash
 * doubled and the literal written E'...'), which reads the same whatever `standard_conforming_strings`
 * says; numbers, booleans and null are written as themselves, plain objects as their JSON text. Any other
 * value (undefined, a Date, a bigint, NaN) is refused rather than written the way drizzle would (nothing,
 * or its `toString()`). Values that hold NUL must go through `pgSafe` first, as for parameters.
 */
import { entityKind, is, Param, SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

/** A string as a Postgres literal that means the same under either `standard_conforming_strings`. */
export function quoteLiteral(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes("\\") ? ` E${quoted.replaceAll("\\", "\\\\")}` : quoted;
}

class InliningDialect extends PgDialect {
  override escapeString(text: string): string {
    return quoteLiteral(text);
  }
}

const dialect = new InliningDialect();

/** `statement`'s text with every parameter written in as a literal. */
export function inlineStatement(statement: SQL): string {
  checkValues(statement.queryChunks);
  const query = dialect.sqlToQuery(statement.inlineParams());
  if (query.params.length > 0) throw new Error("a statement for once() must not keep parameters");
  return query.sql;
}

/** Throws on a value `inlineStatement` cannot write faithfully, anywhere in the statement. */
function checkValues(chunks: readonly unknown[]): void {
  for (const chunk of chunks) {
    if (is(chunk, SQL)) checkValues(chunk.queryChunks);
    else if (is(chunk, Param)) checkValue(chunk.value);
    else if (Array.isArray(chunk)) checkValues(chunk);
    // Other drizzle entities (text, names, columns) carry no value.
    else if (!(typeof chunk === "object" && chunk !== null && isDrizzleEntity(chunk))) checkValue(chunk);
  }
}

function checkValue(value: unknown): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number" && Number.isFinite(value)) return;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return;
  throw new Error(`once() cannot write a ${value instanceof Date ? "Date" : typeof value} into SQL text`);
}

function isDrizzleEntity(value: object): boolean {
  const kind: unknown = value.constructor;
  return typeof kind === "function" && entityKind in kind;
}
