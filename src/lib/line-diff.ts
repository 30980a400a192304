/**
 * A line diff (Myers' O(ND) algorithm) for showing what publishing a draft changes. Prompts can reach
 * hundreds of kilobytes, so the edit distance is capped: past `maxEdits` the diff falls back to "every old
 * line removed, every new line added", which is still correct, only less precise, and costs O(N) instead
 * of an unbounded amount of Worker CPU.
 */

/** One line of a diff: kept, added (only in the new text) or removed (only in the old one). */
export interface DiffLine {
  op: "same" | "added" | "removed";
  text: string;
}

/** The diff of two texts split into lines; `exact` is false when the edit cap forced the fallback. */
export interface LineDiff {
  lines: DiffLine[];
  exact: boolean;
}

export const DEFAULT_MAX_EDITS = 2000;

/** Lines of `before` -> lines of `after`, common prefix and suffix trimmed before the search. */
export function diffLines(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): LineDiff {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const same = (text: string): DiffLine => ({ op: "same", text });
  const middle = myers(midA, midB, maxEdits);
  const exact = middle !== null;
  const body = middle ?? [
    ...midA.map((text): DiffLine => ({ op: "removed", text })),
    ...midB.map((text): DiffLine => ({ op: "added", text })),
  ];
  return {
    lines: [...a.slice(0, head).map(same), ...body, ...a.slice(a.length - tail).map(same)],
    exact,
  };
}

/** Myers' greedy forward search with the trace kept for the backtrack; null past `maxEdits`. */
function myers(a: string[], b: string[], maxEdits: number): DiffLine[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)))
        x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
    v = next;
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number, end: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = end; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: "same", text: a[x] as string });
    }
    if (down) out.push({ op: "added", text: b[--y] as string });
    else out.push({ op: "removed", text: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ op: "same", text: a[x] as string });
  }
  return out.reverse();
}
