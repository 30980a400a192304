/**
 * A word diff for showing what a change did to a text: the longest common subsequence of word,
 * whitespace and punctuation tokens, so line breaks and spacing survive and a changed word reads as
 * one deletion and one insertion rather than a scatter of letters. Pure; used by the cabinet's prompt
 * history and unit-tested in test/unit/diff.test.ts.
 */

export type DiffOp = "equal" | "insert" | "delete";

/** A run of text that both sides share, only the new side has, or only the old side had. */
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Above this many LCS cells (old tokens x new tokens) the middle is shown as replaced, to bound the work. */
export const MAX_DIFF_CELLS = 4_000_000;

const TOKEN = /\s+|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu;

/** Words, runs of whitespace and single other characters, in order; joined they give `text` back. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The changes from `before` to `after`, word by word; joining the non-insert parts gives `before`. */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail += 1;
  const parts: DiffPart[] = [];
  push(parts, "equal", a.slice(0, head));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length * midB.length > MAX_DIFF_CELLS) {
    push(parts, "delete", midA);
    push(parts, "insert", midB);
  } else {
    for (const [op, tokens] of lcsDiff(midA, midB)) push(parts, op, tokens);
  }
  push(parts, "equal", a.slice(a.length - tail));
  return tidy(parts);
}

/** True when the two texts differ (a cheap check before rendering a diff). */
export function changed(parts: DiffPart[]): boolean {
  return parts.some((p) => p.op !== "equal");
}

function lcsDiff(a: string[], b: string[]): Array<[DiffOp, string[]]> {
  const n = a.length;
  const m = b.length;
  // lengths[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * (m + 1) + j] ?? 0, lengths[i * (m + 1) + j + 1] ?? 0);
    }
  }
  const out: Array<[DiffOp, string[]]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(["equal", [a[i] as string]]);
      i += 1;
      j += 1;
    } else if (
      j < m &&
      (i >= n || (lengths[i * (m + 1) + j + 1] ?? 0) >= (lengths[(i + 1) * (m + 1) + j] ?? 0))
    ) {
      out.push(["insert", [b[j] as string]]);
      j += 1;
    } else {
      out.push(["delete", [a[i] as string]]);
      i += 1;
    }
  }
  return out;
}

function push(parts: DiffPart[], op: DiffOp, tokens: string[]): void {
  if (tokens.length === 0) return;
  parts.push({ op, text: tokens.join("") });
}

/**
 * Readability: whitespace alone kept "equal" between two changes becomes part of both, so
 * "one two" -> "three four" reads as one replacement instead of word / space / word; then deletions
 * come before insertions and neighbours of one kind merge.
 */
function tidy(parts: DiffPart[]): DiffPart[] {
  const spread: DiffPart[] = [];
  parts.forEach((part, k) => {
    const prev = parts[k - 1];
    const next = parts[k + 1];
    if (
      part.op === "equal" &&
      /^\s+$/.test(part.text) &&
      prev &&
      next &&
      prev.op !== "equal" &&
      next.op !== "equal"
    ) {
      spread.push({ op: "delete", text: part.text }, { op: "insert", text: part.text });
    } else {
      spread.push(part);
    }
  });
  const out: DiffPart[] = [];
  let deleted = "";
  let inserted = "";
  const flush = () => {
    if (deleted) out.push({ op: "delete", text: deleted });
    if (inserted) out.push({ op: "insert", text: inserted });
    deleted = "";
    inserted = "";
  };
  for (const part of spread) {
    if (part.op === "delete") deleted += part.text;
    else if (part.op === "insert") inserted += part.text;
    else {
      flush();
      const last = out.at(-1);
      if (last?.op === "equal") last.text += part.text;
      else out.push({ ...part });
    }
  }
  flush();
  return out;
}
