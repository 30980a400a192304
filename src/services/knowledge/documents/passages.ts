/**
 * Splits a document's text into retrieval passages: about 800-1200 characters, cut at paragraph breaks
 * where possible, else at sentence ends, else at spaces; each passage repeats the last sentence of the
 * one before (when it is short) so a fact that straddles a cut is still found whole.
 */

export interface PassageOptions {
  /** A passage is closed at a paragraph break once it is this long. */
  min: number;
  /** No passage is longer than this. */
  max: number;
  /** At most this many characters are carried over from the previous passage. */
  overlap: number;
}

export const DEFAULT_PASSAGE_OPTIONS: PassageOptions = { min: 800, max: 1200, overlap: 200 };

interface Unit {
  text: string;
  /** True when the unit starts a new paragraph. */
  paragraph: boolean;
}

const SENTENCE_END = /(?<=[.!?…。])\s+(?=\S)/u;

/** Cuts one over-long piece at spaces (or anywhere, for a very long word) into pieces of <= max. */
function hardSplit(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const space = rest.lastIndexOf(" ", max);
    const cut = space > max / 2 ? space : max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

function units(text: string, max: number): Unit[] {
  const out: Unit[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const clean = para
      .replace(/[ \t]+/g, " ")
      .replace(/ *\n */g, "\n")
      .trim();
    if (!clean) continue;
    let first = true;
    for (const sentence of clean.split(SENTENCE_END)) {
      for (const piece of hardSplit(sentence.trim(), max)) {
        out.push({ text: piece, paragraph: first });
        first = false;
      }
    }
  }
  return out;
}

const join = (list: Unit[]) =>
  list.map((u, i) => (i === 0 ? u.text : `${u.paragraph ? "\n\n" : " "}${u.text}`)).join("");

/** The passages of `text`, in order; empty text gives none. */
export function splitPassages(text: string, options: PassageOptions = DEFAULT_PASSAGE_OPTIONS): string[] {
  const { min, max, overlap } = options;
  const passages: string[] = [];
  let current: Unit[] = [];
  let carried = 0;
  const flush = () => {
    if (current.length > carried) passages.push(join(current));
    const last = current.at(-1);
    const carry = last && last.text.length <= overlap && current.length > 1 ? [last] : [];
    current = carry.map((u) => ({ ...u, paragraph: false }));
    carried = current.length;
  };
  for (const unit of units(text, max)) {
    const length = join(current).length;
    const added = length + (current.length ? 2 : 0) + unit.text.length;
    if (current.length > carried && (added > max || (unit.paragraph && length >= min))) flush();
    if (join([...current, unit]).length > max) {
      current = [];
      carried = 0;
    }
    current.push(unit);
  }
  flush();
  return passages;
}
