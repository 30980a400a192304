/**
 * A tiny view layer: `h()` builds elements from tag, attributes and children. Text always goes in as
 * text nodes; there is no way to pass HTML through it, so nothing a visitor or the model writes can
 * become markup.
 */

export type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
type Listener = (event: Event) => void;
export type Attrs = Record<string, AttrValue | Listener>;

/** Creates an element; `onclick`-style keys add listeners, `false`/`null`/`undefined` values are skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(key === "className" ? "class" : key, String(value));
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children (nested arrays flattened; strings as text nodes). */
export function append(parent: Node, ...children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function replace(el: Node, ...children: Array<Child | Child[]>): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, ...children);
}

/** The element with this id, or an error naming it (for the page shells the build writes). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
}

let idCounter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = "cip"): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Formats a timestamp for lists, in the page's locale. */
export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale === "ru" ? "ru-RU" : "en-GB", { dateStyle: "short", timeStyle: "short" });
}

/** Human file size. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Number of Unicode code points, the way the API counts lengths. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}
