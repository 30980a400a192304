/**
 * The canonical origin (`scheme://host[:port]`, lower-case host, default port dropped) of an http(s)
 * origin, or null for anything else: a path, query, fragment, credentials, wildcard or another scheme.
 * A single trailing slash is tolerated.
 */
export function normalizeOrigin(input: string): string | null {
  const value = input.trim();
  if (!/^https?:\/\/[^/?#@\\\s*]+\/?$/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password || !url.hostname || url.pathname !== "/") return null;
  return url.origin;
}
