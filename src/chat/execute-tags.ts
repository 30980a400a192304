/**
 * The spellings of `[EXECUTE]` / `[/EXECUTE]` that real models write, and the pieces of Markdown that may
 * wrap a block (DESIGN.md "EXECUTE blocks"). Pure helpers for the streaming detector: full-tag search,
 * "could this suffix still grow into a tag (or a fence and a tag)?", and the fences around a block.
 *
 * A tag is `[`, optional whitespace, an optional `/`, optional whitespace, `execute` in any case, optional
 * whitespace and `]`. Each whitespace run is bounded ({@link TAG_GAP_MAX}) so the detector never holds back
 * more than a few dozen characters; models write zero or one space there.
 */

/** Longest whitespace run the detector accepts inside a tag's brackets. */
export const TAG_GAP_MAX = 16;

const GAP = `[ \\t\\r\\n]{0,${TAG_GAP_MAX}}`;

/** Any tag, opening or closing; group 1 is the `/` of a closing tag. */
export const TAG_RE = new RegExp(`\\[${GAP}(\\/)?${GAP}execute${GAP}\\]`, "gi");
/** A closing tag only. */
export const CLOSE_RE = new RegExp(`\\[${GAP}\\/${GAP}execute${GAP}\\]`, "gi");
/** Longest possible tag, in UTF-16 code units. */
export const MAX_TAG_LENGTH = 1 + TAG_GAP_MAX + 1 + TAG_GAP_MAX + 7 + TAG_GAP_MAX + 1;

/** A Markdown fence the model put around a block: three backticks on their own line, or one. */
export type Fence = "```" | "`";

/** A fence right before an opening tag (the tag itself not included), anchored at the end. */
const FENCE_BEFORE = /(?:```[\w+-]{0,20}[ \t]{0,16}(?:\r?\n[ \t]{0,16})?|`[ \t]{0,4})$/;
const LANG_MAX = 20;
/** Longest fence-and-tag prefix the detector may hold back. */
export const MAX_HOLD = 3 + LANG_MAX + 16 + 2 + 16 + MAX_TAG_LENGTH;

const isGap = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
const WORD = "execute";

/**
 * Whether `s.slice(at)` is a proper prefix of a tag: it could still become one, but is not one yet.
 * Mirrors {@link TAG_RE} (greedy matching is exact here: gaps, `/` and letters are disjoint).
 */
export function isTagPrefix(s: string, at: number): boolean {
  const end = s.length;
  if (at >= end || s[at] !== "[") return false;
  let i = at + 1;
  const gap = () => {
    let n = 0;
    while (i < end && n < TAG_GAP_MAX && isGap(s[i] as string)) {
      i++;
      n++;
    }
  };
  gap();
  if (i === end) return true;
  if (s[i] === "/") i++;
  gap();
  for (let k = 0; k < WORD.length; k++, i++) {
    if (i === end) return true;
    if ((s[i] as string).toLowerCase() !== WORD[k]) return false;
  }
  gap();
  return i === end;
}

/** Whether `s.slice(at)` (starting with a backtick) could still become a fence followed by an opening tag. */
export function isFencedTagPrefix(s: string, at: number): boolean {
  const end = s.length;
  let i = at;
  let ticks = 0;
  while (i < end && s[i] === "`" && ticks < 3) {
    i++;
    ticks++;
  }
  if (ticks === 0) return false;
  if (i === end) return true;
  if (ticks === 1 || ticks === 2) {
    // One backtick right before the tag (inline code); two can only be the start of three.
    if (ticks === 2) return false;
    let n = 0;
    while (i < end && n < 4 && (s[i] === " " || s[i] === "\t")) {
      i++;
      n++;
    }
    return i === end || isTagPrefix(s, i);
  }
  let n = 0;
  while (i < end && n < LANG_MAX && /[\w+-]/.test(s[i] as string)) {
    i++;
    n++;
  }
  n = 0;
  while (i < end && n < 16 && (s[i] === " " || s[i] === "\t")) {
    i++;
    n++;
  }
  if (i === end) return true;
  if (s[i] === "\r") i++;
  if (i === end) return true;
  if (s[i] === "\n") {
    i++;
    n = 0;
    while (i < end && n < 16 && (s[i] === " " || s[i] === "\t")) {
      i++;
      n++;
    }
  }
  return i === end || isTagPrefix(s, i);
}

/**
 * Length of the longest suffix of `text` that could still grow into a tag, or into a fence followed by an
 * opening tag: what the detector must hold back. With `fences` false only tags count.
 */
export function heldSuffixLength(text: string, fences = true): number {
  const from = Math.max(0, text.length - (fences ? MAX_HOLD : MAX_TAG_LENGTH));
  let bracket = text.indexOf("[", from);
  let tick = fences ? text.indexOf("`", from) : -1;
  // Candidates in order of position, so the first that fits is the longest suffix.
  while (bracket !== -1 || tick !== -1) {
    if (tick === -1 || (bracket !== -1 && bracket < tick)) {
      if (isTagPrefix(text, bracket)) return text.length - bracket;
      bracket = text.indexOf("[", bracket + 1);
    } else {
      if (isFencedTagPrefix(text, tick)) return text.length - tick;
      tick = text.indexOf("`", tick + 1);
    }
  }
  return 0;
}

/** The fence at the end of `before` (the text right before an opening tag), if there is one. */
export function fenceBefore(before: string): { fence: Fence; length: number } | null {
  const m = FENCE_BEFORE.exec(before.slice(-MAX_HOLD));
  if (!m) return null;
  return { fence: m[0].startsWith("```") ? "```" : "`", length: m[0].length };
}

/**
 * Text that replaces a block, made safe to show: no tag in any spelling, and no trailing fragment that the
 * text after the block could complete into one.
 */
export function visibleResult(text: string): string {
  let out = text;
  for (let before = ""; before !== out; ) {
    before = out;
    out = out.replace(TAG_RE, "");
  }
  return out.slice(0, out.length - heldSuffixLength(out, false));
}
