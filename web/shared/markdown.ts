/**
 * A small, safe markdown renderer for chat messages. It builds DOM nodes and puts every piece of the
 * source into text nodes, so HTML in the text is shown as text, never parsed. Supported: paragraphs and
 * line breaks, headings, bullet and numbered lists, quotes, rules, fenced and inline code, **bold**,
 * *italic*, links (http/https only, opened in a new tab without referrer or opener) and images (only
 * where `imageSrc` approves the URL; any other image stays as its source text and is never fetched).
 */
import { append } from "./dom.ts";

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

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const BLANK = /^\s*$/;

const startsBlock = (line: string) =>
  FENCE.test(line) || HEADING.test(line) || ITEM.test(line) || QUOTE.test(line) || RULE.test(line);

/** Renders markdown into a fragment of safe DOM nodes. */
export function renderMarkdown(source: string, opts: MarkdownOptions = {}, depth = 0): DocumentFragment {
  const out = document.createDocumentFragment();
  const ctx: Ctx = { opts, inLink: false, depth: 0 };
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  const at = (n: number) => lines[n] ?? "";
  while (i < lines.length) {
    const line = at(i);
    if (BLANK.test(line)) {
      i += 1;
    } else if (FENCE.test(line)) {
      const fence = FENCE.exec(line)?.[1] ?? "```";
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !at(i).trim().startsWith(fence)) body.push(at(i++));
      i += 1;
      const pre = el("pre");
      pre.appendChild(el("code", body.join("\n")));
      out.appendChild(pre);
    } else if (RULE.test(line)) {
      out.appendChild(el("hr"));
      i += 1;
    } else if (HEADING.test(line)) {
      const m = HEADING.exec(line);
      const p = el("p");
      p.className = `md-h md-h${Math.min(m?.[1]?.length ?? 1, 3)}`;
      inline(m?.[2] ?? "", p, ctx);
      out.appendChild(p);
      i += 1;
    } else if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(at(i))) inner.push(QUOTE.exec(at(i++))?.[1] ?? "");
      const quote = el("blockquote");
      quote.appendChild(
        depth < 3 ? renderMarkdown(inner.join("\n"), opts, depth + 1) : el("p", inner.join(" ")),
      );
      out.appendChild(quote);
    } else if (ITEM.test(line)) {
      const ordered = /\d/.test(ITEM.exec(line)?.[2] ?? "");
      const list = el(ordered ? "ol" : "ul");
      const start = Number.parseInt(ITEM.exec(line)?.[2] ?? "1", 10);
      if (ordered && start !== 1) list.setAttribute("start", String(start));
      while (i < lines.length) {
        const m = ITEM.exec(at(i));
        if (!m || /\d/.test(m[2] ?? "") !== ordered) break;
        const parts = [m[3] ?? ""];
        i += 1;
        while (i < lines.length && !BLANK.test(at(i)) && !startsBlock(at(i)) && /^\s+/.test(at(i))) {
          parts.push(at(i++).trim());
        }
        const li = el("li");
        inline(parts.join(" "), li, ctx);
        list.appendChild(li);
      }
      out.appendChild(list);
    } else {
      const p = el("p");
      let first = true;
      while (i < lines.length && !BLANK.test(at(i)) && (first || !startsBlock(at(i)))) {
        if (!first) p.appendChild(el("br"));
        inline(at(i++), p, ctx);
        first = false;
      }
      out.appendChild(p);
    }
  }
  return out;
}
