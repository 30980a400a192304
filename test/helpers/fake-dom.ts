/**
 * Just enough of `document` for web/shared/markdown.ts in the unit tests (workerd has no DOM): elements,
 * text nodes and fragments, serialized with text escaped. `innerHTML` throws, so a renderer that ever
 * parsed HTML would fail the tests instead of passing them.
 */

type Child = FakeElement | FakeText;

export class FakeText {
  readonly nodeType = 3;
  constructor(public data: string) {}
}

export class FakeElement {
  readonly nodeType = 1;
  readonly children: Child[] = [];
  readonly attrs = new Map<string, string>();
  constructor(public readonly tagName: string) {}
  appendChild<T>(node: T): T {
    if (node instanceof FakeFragment) this.children.push(...node.children.splice(0));
    else this.children.push(node as Child);
    return node;
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, String(value));
  }
  set className(v: string) {
    this.attrs.set("class", v);
  }
  get className(): string {
    return this.attrs.get("class") ?? "";
  }
  set textContent(v: string) {
    this.children.splice(0, this.children.length, new FakeText(v));
  }
  get textContent(): string {
    return this.children.map((c) => (c instanceof FakeText ? c.data : c.textContent)).join("");
  }
  set innerHTML(_: string) {
    throw new Error("innerHTML must never be used");
  }
}

// Properties the renderer sets on links and images are kept as attributes.
for (const prop of ["href", "target", "rel", "referrerPolicy", "src", "alt", "loading", "decoding"]) {
  Object.defineProperty(FakeElement.prototype, prop, {
    set(this: FakeElement, v: string) {
      this.attrs.set(prop, v);
    },
    get(this: FakeElement) {
      return this.attrs.get(prop);
    },
  });
}

export class FakeFragment extends FakeElement {
  constructor() {
    super("#fragment");
  }
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The nodes as markup: tags with their attributes, text escaped. */
export function serialize(node: Child | FakeFragment): string {
  if (node instanceof FakeText) return escapeText(node.data);
  const inner = node.children.map(serialize).join("");
  if (node instanceof FakeFragment) return inner;
  const attrs = [...node.attrs].map(([k, v]) => ` ${k}="${escapeText(v)}"`).join("");
  return `<${node.tagName}${attrs}>${inner}</${node.tagName}>`;
}

/** Installs the fake as `globalThis.document`. */
export function installFakeDocument(): void {
  (globalThis as { document?: unknown }).document = {
    createElement: (tag: string) => new FakeElement(tag.toLowerCase()),
    createTextNode: (text: string) => new FakeText(text),
    createDocumentFragment: () => new FakeFragment(),
  };
}
