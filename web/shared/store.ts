/**
 * localStorage/sessionStorage with a memory fallback (storage can be blocked, e.g. in some third-party
 * iframes). Keys are namespaced per tenant by the callers: `cip:{tenant_id}:...`.
 */

const memory = new Map<string, string>();
/** Where local writes also go while this page's storage is blocked (see `relayStorage`). */
let relay: ((key: string, raw: string | null) => void) | null = null;

function storage(kind: "local" | "session"): Storage | null {
  try {
    const s = kind === "local" ? window.localStorage : window.sessionStorage;
    const probe = "cip:probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/** Reads and parses a stored JSON value; null when missing or unreadable. */
export function readJson<T>(key: string, kind: "local" | "session" = "local"): T | null {
  const raw = storage(kind)?.getItem(key) ?? memory.get(`${kind}:${key}`) ?? null;
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Stores a JSON value (silently keeps it in memory when storage is full or blocked). */
export function writeJson(key: string, value: unknown, kind: "local" | "session" = "local"): void {
  const raw = JSON.stringify(value);
  try {
    const s = storage(kind);
    if (s) {
      s.setItem(key, raw);
      return;
    }
  } catch {
    // quota: fall through to memory
  }
  memory.set(`${kind}:${key}`, raw);
  if (kind === "local") relay?.(key, raw);
}

/** Removes a stored value. */
export function removeKey(key: string, kind: "local" | "session" = "local"): void {
  const s = storage(kind);
  s?.removeItem(key);
  memory.delete(`${kind}:${key}`);
  if (!s && kind === "local") relay?.(key, null);
}

/** Whether localStorage works here (a third-party frame may be refused it, e.g. in private windows). */
export function hasLocalStorage(): boolean {
  return storage("local") !== null;
}

/**
 * For a page whose own storage is blocked: starts from `seed` (values kept elsewhere, e.g. by the widget
 * on its host page) and hands every later local write to `sink`, so they outlive this page.
 */
export function relayStorage(
  seed: Record<string, string>,
  sink: (key: string, raw: string | null) => void,
): void {
  for (const [key, raw] of Object.entries(seed)) memory.set(`local:${key}`, raw);
  relay = sink;
}

/** A random id for an anonymous visitor. */
export function newId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
