/** A UUID in its canonical text form (any version), as a pattern to build larger ones from. */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A whole UUID, case-insensitive: what every id path and cursor holds. */
export const UUID_RE = new RegExp(`^${UUID_PATTERN}$`, "i");

/** Whether `value` is a UUID. */
export function isUuid(value: string | null | undefined): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}
