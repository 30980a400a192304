/**
 * The block structure of a chat message's markdown, as plain data (no DOM): paragraphs, headings, quotes,
 * rules, fenced code, lists nested by indentation (ordered and unordered, mixed), and GFM pipe tables
 * (a header row, a `---` separator row with optional `:` alignment, body rows). Pure and total: any text,
 * a half-streamed message included, gives blocks and never throws. markdown.ts turns them into DOM nodes.
 */

export type Align = "left" | "center" | "right" | null;

export interface ListItem {
  /** The item's own text (its lines joined), inline markdown still in it. */
  text: string;
  /** Lists nested under the item. */
  children: ListBlock[];
}

export interface ListBlock {
  kind: "list";
  ordered: boolean;
  start: number;
  items: ListItem[];
}

export type Block =
  | { kind: "paragraph"; lines: string[] }
  | { kind: "heading"; level: number; text: string }
  | { kind: "quote"; source: string }
  | { kind: "rule" }
  | { kind: "code"; text: string }
  | ListBlock
  | { kind: "table"; align: Align[]; header: string[]; rows: string[][] };

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const BLANK = /^\s*$/;
const SEPARATOR_CELL = /^\s*:?-+:?\s*$/;
/** Lists nested deeper than this stay as text of their parent item. */
const MAX_LIST_DEPTH = 6;

/** A line's indentation in columns (a tab counts 4). */
const indentOf = (line: string) => (/^[ \t]*/.exec(line)?.[0] ?? "").replace(/\t/g, "    ").length;

/** The cells of a table row: split on `|` not escaped by `\`, outer pipes dropped, `\|` kept as `|`. */
export function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i += 1) {
    const ch = row[i] as string;
    if (ch === "\\" && row[i + 1] === "|") {
      cell += "|";
      i += 1;
    } else if (ch === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** The alignments of a separator row, or null when `line` is not one for `columns` columns. */
function separator(line: string, columns: number): Align[] | null {
  if (!line.includes("-")) return null;
  const cells = splitRow(line);
  if (cells.length !== columns || !cells.every((c) => SEPARATOR_CELL.test(c))) return null;
  // One column needs a pipe somewhere, or `---` alone would be a rule under a paragraph.
  if (columns === 1 && !line.includes("|")) return null;
  return cells.map((c) => {
    const left = c.startsWith(":");
    const right = c.endsWith(":");
    return left && right ? "center" : right ? "right" : left ? "left" : null;
  });
}

/** Whether a table starts at `lines[i]`: a row with a pipe, then a matching separator row. */
function tableAt(lines: readonly string[], i: number): Align[] | null {
  const head = lines[i];
  const next = lines[i + 1];
  if (head === undefined || next === undefined || !head.includes("|")) return null;
  return separator(next, splitRow(head).length);
}

const startsBlock = (lines: readonly string[], i: number) => {
  const line = lines[i] ?? "";
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    ITEM.test(line) ||
    QUOTE.test(line) ||
    RULE.test(line) ||
    tableAt(lines, i) !== null
  );
};

/** Reads the list whose first item is `lines[i]`; returns it and the index after it. */
function readList(lines: readonly string[], i: number, depth: number): [ListBlock, number] {
  const first = ITEM.exec(lines[i] ?? "") as RegExpExecArray;
  const indent = indentOf(lines[i] ?? "");
  const ordered = /\d/.test(first[2] ?? "");
  const start = ordered ? Number.parseInt(first[2] ?? "1", 10) : 1;
  const list: ListBlock = { kind: "list", ordered, start, items: [] };
  while (i < lines.length) {
    const m = ITEM.exec(lines[i] ?? "");
    if (!m || indentOf(lines[i] ?? "") !== indent || /\d/.test(m[2] ?? "") !== ordered) break;
    const item: ListItem = { text: "", children: [] };
    const parts = [m[3] ?? ""];
    i += 1;
    while (i < lines.length) {
      // Blank lines end the item unless more of it (indented) or a sibling item follows.
      let next = i;
      while (next < lines.length && BLANK.test(lines[next] ?? "")) next += 1;
      if (next >= lines.length) {
        i = next;
        break;
      }
      const line = lines[next] ?? "";
      const lineIndent = indentOf(line);
      const isItem = ITEM.test(line);
      if (lineIndent > indent && !FENCE.test(line)) {
        if (isItem && depth < MAX_LIST_DEPTH) {
          const [child, after] = readList(lines, next, depth + 1);
          item.children.push(child);
          i = after;
        } else {
          parts.push(line.trim());
          i = next + 1;
        }
        continue;
      }
      if (next > i && isItem && lineIndent === indent) i = next;
      break;
    }
    item.text = parts.join(" ");
    list.items.push(item);
  }
  return [list, i];
}

/** The blocks of a markdown source. */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  const at = (n: number) => lines[n] ?? "";
  let i = 0;
  while (i < lines.length) {
    const line = at(i);
    const align = tableAt(lines, i);
    if (BLANK.test(line)) {
      i += 1;
    } else if (FENCE.test(line)) {
      const fence = FENCE.exec(line)?.[1] ?? "```";
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !at(i).trim().startsWith(fence)) body.push(at(i++));
      i += 1;
      blocks.push({ kind: "code", text: body.join("\n") });
    } else if (align) {
      const header = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      // As in GFM, rows go on until a blank line or another block (a row may lack pipes).
      const ends = (l: string) =>
        BLANK.test(l) || FENCE.test(l) || HEADING.test(l) || QUOTE.test(l) || RULE.test(l);
      while (i < lines.length && !ends(at(i))) {
        const cells = splitRow(at(i++));
        rows.push(header.map((_, c) => cells[c] ?? ""));
      }
      blocks.push({ kind: "table", align, header, rows });
    } else if (RULE.test(line)) {
      blocks.push({ kind: "rule" });
      i += 1;
    } else if (HEADING.test(line)) {
      const m = HEADING.exec(line);
      blocks.push({ kind: "heading", level: Math.min(m?.[1]?.length ?? 1, 3), text: m?.[2] ?? "" });
      i += 1;
    } else if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(at(i))) inner.push(QUOTE.exec(at(i++))?.[1] ?? "");
      blocks.push({ kind: "quote", source: inner.join("\n") });
    } else if (ITEM.test(line)) {
      const [list, after] = readList(lines, i, 1);
      blocks.push(list);
      i = Math.max(after, i + 1);
    } else {
      const paragraph: string[] = [];
      while (i < lines.length && !BLANK.test(at(i)) && (paragraph.length === 0 || !startsBlock(lines, i)))
        paragraph.push(at(i++));
      blocks.push({ kind: "paragraph", lines: paragraph });
    }
  }
  return blocks;
}
