/**
 * Postgres text and jsonb cannot hold NUL (U+0000). A visitor's or the model's NUL would fail this
 * statement on every retry and keep the whole dialog out of Postgres, so it is stored as U+FFFD.
 */
export function pgSafe<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD") as T;
  if (Array.isArray(value)) return value.map(pgSafe) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgSafe(k), pgSafe(v)])) as T;
  }
  return value;
}
