/**
 * The seed's grammar of the admin bot's chunk commands (DESIGN.md "EXECUTE blocks"), with nothing lost:
 * - `ADD_CHUNK`: line 1 the question, lines 2..n the text, verbatim (line breaks, `=`, colons, Markdown);
 * - `EDIT_CHUNK`: line 1 the chunk's UUID, lines 2..n the new text (the question stays);
 * - `DELETE_CHUNK`: the UUID.
 * The `key=value` form (`question=`, `text=`, `id=`, `position=`) stays an alternative: it applies when one
 * of the first two lines is such a key line, and then a line that is not a key line continues the text.
 * Only the command's own keys are ever read as keys, so `Доставка = 500 руб.` is always text.
 */
import type { ParsedBlock } from "../chat/execute-detector.ts";

/** What a chunk command's block says; absent fields were not written. */
export interface ChunkArguments {
  id?: string;
  question?: string;
  text?: string;
  position?: string;
}

type Field = keyof ChunkArguments;

const KEY_LINE = /^\s*([A-Za-z_]+)\s*=(.*)$/s;
const ALIASES: Record<string, Field> = {
  id: "id",
  chunk_id: "id",
  question: "question",
  text: "text",
  position: "position",
};

/** Reads `line` as one of `fields`' key lines. */
function keyLine(line: string | undefined, fields: readonly Field[]): [Field, string] | null {
  const m = line === undefined ? null : KEY_LINE.exec(line);
  const field = m ? ALIASES[(m[1] as string).toLowerCase()] : undefined;
  return m && field && fields.includes(field) ? [field, (m[2] as string).trim()] : null;
}

/** A one-line block (`EDIT_CHUNK id=… text=…`) as lines: split before each of the command's own keys. */
function inlineLines(inline: string, fields: readonly Field[]): string[] {
  if (inline === "") return [];
  const keys = Object.keys(ALIASES).filter((k) => fields.includes(ALIASES[k] as Field));
  const splitter = new RegExp(`\\s+(?=(?:${keys.join("|")})\\s*=)`, "i");
  return inline.split(splitter).filter((part) => part.trim() !== "");
}

/** Trims the whole text (blank lines and spaces at both ends), keeping everything inside verbatim. */
function finishText(text: string | undefined): string | undefined {
  return text?.replace(/^\s*\n/, "").trim();
}

/**
 * Reads a chunk command's block. `first` is what line 1 holds in the seed's form (the question for
 * ADD_CHUNK, the id for EDIT_CHUNK); `fields` are the keys the command takes.
 */
export function readChunkBlock(
  block: ParsedBlock,
  first: "question" | "id",
  fields: readonly Field[],
): ChunkArguments {
  const lines = [...inlineLines(block.inline, fields), ...block.lines];
  const out: ChunkArguments = {};
  const keyed = keyLine(lines[0], fields) !== null || keyLine(lines[1], fields) !== null;
  if (!keyed) {
    if (lines[0] !== undefined) out[first] = lines[0].trim();
    if (lines.length > 1) out.text = finishText(lines.slice(1).join("\n"));
    return out;
  }
  let current: Field | null = null;
  for (const line of lines) {
    const kv = keyLine(line, fields);
    if (kv && out[kv[0]] === undefined) {
      out[kv[0]] = kv[1];
      current = kv[0];
    } else if (current === "text" || (out[first] !== undefined && out.text !== undefined)) {
      out.text = `${out.text ?? ""}\n${line}`;
      current = "text";
    } else if (out[first] === undefined) {
      out[first] = line.trim();
      current = first;
    } else {
      out.text = line;
      current = "text";
    }
  }
  if (out.text !== undefined) out.text = finishText(out.text);
  return out;
}

/** An id as models write it: in backticks, quotes or angle brackets. */
export function cleanId(id: string | undefined): string | undefined {
  return id?.trim().replace(/^[`"'<«([]+|[`"'>»)\].,;]+$/g, "");
}
