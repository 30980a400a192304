/**
 * Reads the body of one `[EXECUTE]` block (the text between its tags) the way models write it: the command
 * name on the first line, in any case, possibly in Markdown emphasis or backticks, possibly followed by its
 * arguments on the same line (`SHOW_GALLERY group_id=…`, the seed's one-line form); then one argument per
 * line. The raw lines are kept too, for commands whose grammar is "line 1 …, lines 2..n the text".
 */

/** The command written inside a block. */
export interface ParsedBlock {
  /** Upper-cased command name. */
  name: string;
  /** Positional arguments: the same-line rest when it has no `key=`, then body lines without `key=`. */
  args: string[];
  /** `key=value` arguments (keys lower-cased; a repeated key keeps its last value). */
  params: Record<string, string>;
  /** What followed the name on its line, trimmed ("" when nothing). */
  inline: string;
  /** The lines after the name's line, untrimmed, without leading and trailing blank lines. */
  lines: string[];
}

const LINE_BREAK = /\r\n|\r|\n/;
/** Emphasis and code marks a model may put around the name: `**NAME**`, `__NAME__`, `` `NAME` ``. */
const MARKS = /^[*_`~]+|[*_`~:]+$/g;
const NAME = /^[*_`~]*([^\s*`~:]+)[*`~:]*(?:\s+|$)/;
const KEY = /^[\p{L}_][\p{L}\p{N}_-]*$/u;
/** `key=` at the start or after whitespace: where a one-line argument list splits. */
const INLINE_KEY = /(^|\s)([A-Za-z_][\w-]*)\s*=/g;

/**
 * Splits a one-line argument list: `group_id=1 q=two words` → `{group_id: "1", q: "two words"}` (a value
 * runs to the next ` key=`); text before the first key, or a list without any, is a positional argument.
 */
export function parseInlineArguments(text: string): { args: string[]; params: Array<[string, string]> } {
  const args: string[] = [];
  const params: Array<[string, string]> = [];
  const keys = [...text.matchAll(INLINE_KEY)];
  if (keys.length === 0) {
    if (text.trim() !== "") args.push(text.trim());
    return { args, params };
  }
  const head = text.slice(0, keys[0]?.index ?? 0).trim();
  if (head !== "") args.push(head);
  keys.forEach((m, k) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = keys[k + 1]?.index ?? text.length;
    params.push([(m[2] as string).toLowerCase(), text.slice(start, end).trim()]);
  });
  return { args, params };
}

/** A body line as a `key=value` argument (split at the first `=`), or null when it is not one. */
export function keyValueLine(line: string): [string, string] | null {
  const eq = line.indexOf("=");
  if (eq <= 0) return null;
  const key = line.slice(0, eq).trim();
  if (!KEY.test(key)) return null;
  return [key.toLowerCase(), line.slice(eq + 1).trim()];
}

/** Removes blank lines at both ends. */
function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] as string).trim() === "") start++;
  while (end > start && (lines[end - 1] as string).trim() === "") end--;
  return lines.slice(start, end);
}

/** Parses a block body; null when it names no command. */
export function parseExecuteBlock(body: string): ParsedBlock | null {
  const all = trimBlankLines(body.split(LINE_BREAK));
  const first = all[0]?.trim();
  if (first === undefined) return null;
  const m = NAME.exec(first);
  const name = (m?.[1] ?? "").replace(MARKS, "");
  if (name === "") return null;
  const inline = first.slice(m?.[0].length ?? first.length).trim();
  const lines = trimBlankLines(all.slice(1));
  const { args, params } = parseInlineArguments(inline);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const kv = keyValueLine(line);
    if (kv) params.push(kv);
    else args.push(line);
  }
  return { name: name.toUpperCase(), args, params: Object.fromEntries(params), inline, lines };
}
