/**
 * A small, safe markdown renderer for chat messages. It builds DOM nodes and puts every piece of the
 * source into text nodes, so HTML in the text is shown as text, never parsed. Supported: paragraphs and
 * line breaks, headings, bullet and numbered lists (nested by indentation, mixed), GFM pipe tables (with
 * `:---:` alignment), quotes, rules, fenced and inline code, **bold**,
 * *italic*, links (http/https only, opened in a new tab without referrer or opener) and images (only
 * where `imageSrc` approves the URL; any other image stays as its source text and is never fetched).
 */
import { append } from "./dom.ts";
import { type Block, type ListBlock, parseBlocks } from "./markdown-blocks.ts";

export interface MarkdownOptions {
  /** A safe `src` for an image URL, or null to show the image's markdown as text. */
  imageSrc?: (url: string) => string | null;
}

/** The URL when it is an absolute http(s) URL, else null (`javascript:`, `data:`, relative, junk). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

interface Ctx {
  opts: MarkdownOptions;
  /** Inside a link label: no nested links. */
  inLink: boolean;
  depth: number;
}

interface Rule {
  re: RegExp;
  build(m: RegExpExecArray, ctx: Ctx): Node;
  inLink?: boolean;
}

const el = (tag: string, text?: string): HTMLElement => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
};

function styled(tag: string, inner: string, ctx: Ctx): Node {
  const node = el(tag);
  inline(inner, node, { ...ctx, depth: ctx.depth + 1 });
  return node;
}

function link(label: string, url: string, raw: string, ctx: Ctx): Node {
  const href = safeHref(url);
  if (!href) return document.createTextNode(raw);
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer nofollow";
  a.referrerPolicy = "no-referrer";
  inline(label, a, { ...ctx, inLink: true, depth: ctx.depth + 1 });
  return a;
}

const URL_PART = String.raw`<?([^\s)<>]+)>?(?:\s+"[^"\n]*")?\s*`;
const RULES: Rule[] = [
  { re: /`([^`\n]+)`/, build: (m) => el("code", m[1]), inLink: true },
  {
    re: new RegExp(String.raw`!\[([^\]\n]*)\]\(\s*${URL_PART}\)`),
    build: (m, ctx) => {
      const src = ctx.opts.imageSrc?.(m[2] ?? "") ?? null;
      if (!src) return document.createTextNode(m[0]);
      const img = document.createElement("img");
      img.src = src;
      img.alt = m[1] ?? "";
      img.loading = "lazy";
      img.decoding = "async";
      img.className = "md-img";
      return img;
    },
  },
  {
    re: new RegExp(String.raw`\[([^\]\n]+)\]\(\s*${URL_PART}\)`),
    build: (m, ctx) => link(m[1] ?? "", m[2] ?? "", m[0], ctx),
  },
  {
    re: /\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__/,
    build: (m, ctx) => styled("strong", m[1] ?? m[2] ?? "", ctx),
    inLink: true,
  },
  {
    re: /\*(?=[^\s*])([^*\n]*?[^\s*])\*|(?<![\p{L}\p{N}_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/u,
    build: (m, ctx) => styled("em", m[1] ?? m[2] ?? "", ctx),
    inLink: true,
  },
  { re: /~~(?=\S)([^~\n]*?\S)~~/, build: (m, ctx) => styled("del", m[1] ?? "", ctx), inLink: true },
  {
    re: /\bhttps?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/,
    build: (m, ctx) => link(m[0], m[0], m[0], ctx),
  },
];

/** Renders inline markdown of `text` into `parent`. */
function inline(text: string, parent: Node, ctx: Ctx): void {
  if (ctx.depth > 8) {
    append(parent, text);
    return;
  }
  let rest = text;
  while (rest) {
    let best: { m: RegExpExecArray; rule: Rule } | null = null;
    for (const rule of RULES) {
      if (ctx.inLink && !rule.inLink) continue;
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) {
      append(parent, rest);
      return;
    }
    if (best.m.index > 0) append(parent, rest.slice(0, best.m.index));
    parent.appendChild(best.rule.build(best.m, ctx));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
}

function renderList(list: ListBlock, ctx: Ctx): HTMLElement {
  const node = el(list.ordered ? "ol" : "ul");
  if (list.ordered && list.start !== 1) node.setAttribute("start", String(list.start));
  for (const item of list.items) {
    const li = el("li");
    inline(item.text, li, ctx);
    for (const child of item.children) li.appendChild(renderList(child, ctx));
    node.appendChild(li);
  }
  return node;
}

function renderTable(block: Extract<Block, { kind: "table" }>, ctx: Ctx): HTMLElement {
  const cell = (tag: "th" | "td", text: string, column: number) => {
    const node = el(tag);
    const align = block.align[column];
    // A class, not a style attribute: the pages' CSP allows no inline styles.
    if (align) node.className = `md-al-${align}`;
    inline(text, node, ctx);
    return node;
  };
  const table = el("table");
  table.className = "md-table";
  const head = el("thead");
  const headRow = el("tr");
  block.header.forEach((text, c) => {
    headRow.appendChild(cell("th", text, c));
  });
  head.appendChild(headRow);
  table.appendChild(head);
  if (block.rows.length > 0) {
    const body = el("tbody");
    for (const row of block.rows) {
      const tr = el("tr");
      row.forEach((text, c) => {
        tr.appendChild(cell("td", text, c));
      });
      body.appendChild(tr);
    }
    table.appendChild(body);
  }
  // Wide tables scroll inside the bubble instead of stretching it.
  const wrap = el("div");
  wrap.className = "md-table-wrap";
  wrap.appendChild(table);
  return wrap;
}

/** Renders markdown into a fragment of safe DOM nodes (any text, half-streamed included, renders). */
export function renderMarkdown(source: string, opts: MarkdownOptions = {}, depth = 0): DocumentFragment {
  const out = document.createDocumentFragment();
  const ctx: Ctx = { opts, inLink: false, depth: 0 };
  for (const block of parseBlocks(source)) {
    if (block.kind === "code") {
      const pre = el("pre");
      pre.appendChild(el("code", block.text));
      out.appendChild(pre);
    } else if (block.kind === "rule") {
      out.appendChild(el("hr"));
    } else if (block.kind === "heading") {
      const p = el("p");
      p.className = `md-h md-h${block.level}`;
      inline(block.text, p, ctx);
      out.appendChild(p);
    } else if (block.kind === "quote") {
      const quote = el("blockquote");
      quote.appendChild(
        depth < 3 ? renderMarkdown(block.source, opts, depth + 1) : el("p", block.source.replace(/\n/g, " ")),
      );
      out.appendChild(quote);
    } else if (block.kind === "list") {
      out.appendChild(renderList(block, ctx));
    } else if (block.kind === "table") {
      out.appendChild(renderTable(block, ctx));
    } else {
      const p = el("p");
      block.lines.forEach((line, n) => {
        if (n > 0) p.appendChild(el("br"));
        inline(line, p, ctx);
      });
      out.appendChild(p);
    }
  }
  return out;
}
