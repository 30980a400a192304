/**
 * Plain text from HTML and markdown for indexing: scripts, styles and comments go, block elements become
 * line breaks, entities are decoded. It is extraction for search, not a renderer.
 */

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  ldquo: "“",
  rdquo: "”",
  lsquo: "‘",
  rsquo: "’",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
  shy: "",
  times: "×",
  deg: "°",
};

/** Decodes numeric entities and the common named ones; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : "";
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

const DROP = /<(script|style|noscript|template|svg|iframe|object|head)\b[\s\S]*?<\/\1\s*>/gi;
const BLOCK =
  /<\/?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|section|article|header|footer|nav|aside|main|blockquote|pre|figure|figcaption|form|fieldset|address|details|summary)\b[^>]*>/gi;

/** Tidies extracted text: single spaces, at most one blank line in a row. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The title (from <title> or the first <h1>) and the visible text of an HTML document. */
export function htmlToText(html: string): { title: string | null; text: string } {
  const titleMatch =
    /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  const title = titleMatch?.[1] ? tidy(decodeEntities(titleMatch[1].replace(/<[^>]*>/g, " "))) : "";
  const text = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(DROP, " ")
    .replace(/<(td|th)\b[^>]*>/gi, " ")
    .replace(BLOCK, "\n\n")
    .replace(/<[^>]*>/g, "");
  return { title: title || null, text: tidy(decodeEntities(text)) };
}

/** The title (first `# ` heading) and the text of a markdown document, without link and image markup. */
export function markdownToText(markdown: string): { title: string | null; text: string } {
  const title = /^\s{0,3}#\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1] ?? null;
  const text = markdown
    .replace(/^```.*$/gm, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}#{1,6}\s+/gm, "")
    .replace(/^\s{0,3}>\s?/gm, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1");
  return { title, text: tidy(text) };
}
