/**
 * The last line of defence for what a reader sees: the answer text as streamed (detector text and command
 * results, in order) never contains an `[EXECUTE]`/`[/EXECUTE]` tag in any spelling. The detector removes
 * blocks and stray tags, but text on both sides of a removed block can join into a tag (`[EXEC` + a block
 * that vanished + `UTE]`), and a command result may quote one. The guard removes every tag that would appear
 * in the concatenated output, cutting it from the newer side (what was sent is never taken back), and holds
 * back only a tail that could still complete one.
 */
import { isTagPrefix, MAX_TAG_LENGTH, TAG_RE } from "./execute-tags.ts";

const KEEP = MAX_TAG_LENGTH - 1;

export class VisibleTextGuard {
  /** The last characters already released, which a later piece could complete into a tag. */
  private sent = "";
  private held = "";

  /** Adds a piece of visible text; returns what may be released now. */
  push(text: string): string {
    let s = this.held + text;
    this.held = "";
    // Every tag starts with "[": without one in sight there is nothing to cut or hold.
    if (!s.includes("[") && !this.sent.includes("[")) {
      this.sent = (this.sent + s).slice(-KEEP);
      return s;
    }
    for (;;) {
      const joined = this.sent + s;
      TAG_RE.lastIndex = 0;
      let cut: [number, number] | null = null;
      for (let m = TAG_RE.exec(joined); m; m = TAG_RE.exec(joined)) {
        const end = m.index + m[0].length;
        if (end > this.sent.length) {
          cut = [Math.max(m.index, this.sent.length) - this.sent.length, end - this.sent.length];
          break;
        }
      }
      if (!cut) break;
      s = s.slice(0, cut[0]) + s.slice(cut[1]);
    }
    const hold = this.holdLength(s);
    const out = s.slice(0, s.length - hold);
    this.held = s.slice(s.length - hold);
    this.sent = (this.sent + out).slice(-KEEP);
    return out;
  }

  /** The end of the answer: a held tail is only the start of a tag, so it is released. */
  flush(): string {
    const out = this.held;
    this.held = "";
    this.sent = (this.sent + out).slice(-KEEP);
    return out;
  }

  /** How much of the end of `s` (with the released tail before it) could still become a tag. */
  private holdLength(s: string): number {
    const joined = this.sent + s;
    for (
      let i = joined.indexOf("[", Math.max(0, joined.length - KEEP));
      i !== -1;
      i = joined.indexOf("[", i + 1)
    ) {
      if (isTagPrefix(joined, i)) return Math.min(s.length, joined.length - i);
    }
    return 0;
  }
}
