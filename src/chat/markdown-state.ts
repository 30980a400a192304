/**
 * Just enough Markdown to tell an opening code mark from a closing one in streamed text: whether a fenced
 * code block (a line starting with three backticks) is open, and whether an inline code span is open on
 * the current line. The detector feeds it the text it releases, so a fence or backtick right before an
 * `[EXECUTE]` tag is taken with the block only when it opens code, never when it closes the owner's.
 */
export class MarkdownState {
  /** A ``` block is open. */
  codeOpen = false;
  /** An inline code span is open on this line. */
  spanOpen = false;
  /** Only up to three spaces since the line began (a fence may still start here). */
  private lineStart = true;
  private lead = 0;
  /** Backticks in a row at the start of this line. */
  private ticks = 0;
  /** This line is a fence line: its other backticks are not inline code. */
  private fenceLine = false;

  /** Takes in released text. */
  feed(text: string): void {
    if (!text.includes("`")) {
      this.skip(text);
      return;
    }
    for (const c of text) {
      if (c === "\n") {
        this.newLine();
      } else if (c === "`") {
        if (this.lineStart) {
          this.ticks += 1;
          if (this.ticks === 3) {
            this.codeOpen = !this.codeOpen;
            this.fenceLine = true;
            this.lineStart = false;
          }
        } else if (!this.fenceLine && !this.codeOpen) this.spanOpen = !this.spanOpen;
      } else {
        if (this.lineStart && this.ticks > 0 && !this.codeOpen) this.spanOpen = this.ticks % 2 === 1;
        if (c === " " && this.lineStart && this.ticks === 0 && this.lead < 3) this.lead += 1;
        else this.lineStart = false;
      }
    }
  }

  private newLine(): void {
    this.lineStart = true;
    this.lead = 0;
    this.ticks = 0;
    this.fenceLine = false;
    this.spanOpen = false;
  }

  /** Text without backticks: only line starts and leading spaces matter. */
  private skip(text: string): void {
    const nl = text.lastIndexOf("\n");
    if (nl !== -1) this.newLine();
    const tail = nl === -1 ? text : text.slice(nl + 1);
    if (tail === "") return;
    if (this.lineStart && this.ticks === 0 && /^ *$/.test(tail) && this.lead + tail.length <= 3) {
      this.lead += tail.length;
      return;
    }
    if (this.lineStart && this.ticks > 0 && !this.codeOpen) this.spanOpen = this.ticks % 2 === 1;
    this.lineStart = false;
  }
}
