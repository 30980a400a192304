/**
 * Incremental detection of `[EXECUTE]...[/EXECUTE]` blocks in streamed model output (DESIGN.md, "EXECUTE
 * blocks"). Text is forwarded as soon as it arrives; only a trailing fragment that could still grow into a
 * tag (or a Markdown fence followed by an opening tag) is held back. Tags are matched in any case and with
 * whitespace inside the brackets (execute-tags.ts), since real models write them that way; a fence around a
 * block goes with the block, and a closing tag outside any block is removed. Text that joins across a
 * removed block could still spell a tag; `VisibleTextGuard` (visible-text.ts) settles that on the output.
 */
import { type ParsedBlock, parseExecuteBlock } from "./execute-block.ts";
import {
  CLOSE_RE,
  type Fence,
  fenceBefore,
  heldSuffixLength,
  isTagPrefix,
  MAX_TAG_LENGTH,
  TAG_RE,
} from "./execute-tags.ts";
import { MarkdownState } from "./markdown-state.ts";

export type { ParsedBlock } from "./execute-block.ts";
export { parseExecuteBlock } from "./execute-block.ts";
export { visibleResult } from "./execute-tags.ts";

/**
 * What the detector found. `raw` is the block with its tags; an `unclosed` block (no closing tag by the
 * end, or a body over {@link MAX_BLOCK_BODY}) is dropped and reported for logging only, never as text.
 */
export type DetectorEvent =
  | { type: "text"; text: string }
  | { type: "block"; raw: string; command: ParsedBlock | null }
  | { type: "unclosed"; raw: string };

/** The canonical tags, as CIP's prompts teach them. */
export const OPEN_TAG = "[EXECUTE]";
export const CLOSE_TAG = "[/EXECUTE]";
/** Largest block body, in UTF-16 code units (16 Ki), before the block is treated as garbage. */
export const MAX_BLOCK_BODY = 16 * 1024;

/** Whitespace between a fenced block and its closing fence, or between two blocks in one fence. */
const FENCE_GAP = /^[ \t\r\n]{0,64}/;

/**
 * Splits a stream of text chunks into text and block events. Pure and synchronous: `push` each chunk
 * in order, then `flush` once at the end. Work per push is proportional to the chunk, not the buffer.
 *
 * A block whose body is longer than {@link MAX_BLOCK_BODY} is reported as `unclosed` (as soon as that is
 * certain) instead of `block`; everything up to its closing tag is discarded, so no fragment of it leaks
 * into the text, and streaming resumes after that tag. Without a closing tag the rest is lost, as for any
 * unclosed block. The outcome does not depend on how the input is split into chunks.
 */
export class ExecuteDetector {
  /** Text mode: the held-back fragment (a possible tag, fence, or the gap before a closing fence). */
  private pending = "";
  private inBlock = false;
  /** Discarding the rest of an oversized block. */
  private discarding = false;
  /** The fence the current (or just closed) block opened with; its closing mark is consumed after it. */
  private fence: Fence | null = null;
  /** Text mode right after a fenced block: the closing fence may follow. */
  private awaitingFence = false;
  /** A fence carried over to the next block of the same fence (see `afterFencedBlock`). */
  private nextFence: Fence | null = null;
  /** Whether released text left a code block or span open (so a mark before a tag closes it). */
  private readonly markdown = new MarkdownState();
  /** Right after a closing ``` fence: the spaces after it on its line go with it, in whatever chunk. */
  private eatSpaces = false;
  /** Block mode: the opening tag as written, body chunks so far, their total length and last characters. */
  private openTag = "";
  private parts: string[] = [];
  private bodyLength = 0;
  private tail = "";

  /** Feeds the next chunk; returns the events it completes (text is released at once). */
  push(chunk: string): DetectorEvent[] {
    const events: DetectorEvent[] = [];
    let rest = chunk;
    while (rest !== "") rest = this.inBlock ? this.pushBlock(rest, events) : this.pushText(rest, events);
    return events;
  }

  /** Ends the input: releases a held-back fragment as text, or reports an open block as unclosed. */
  flush(): DetectorEvent[] {
    const events: DetectorEvent[] = [];
    if (this.inBlock && !this.discarding) events.push({ type: "unclosed", raw: this.openTag + this.body() });
    else if (this.pending !== "") {
      // After a fenced block, a partial closing fence at the very end still belongs to the fence.
      const rest = this.pending.trim();
      const partOfFence = this.awaitingFence && (this.fence ?? "`").startsWith(rest);
      if (!partOfFence) events.push({ type: "text", text: this.pending });
    }
    this.pending = "";
    this.nextFence = null;
    this.eatSpaces = false;
    this.awaitingFence = false;
    this.enterBlock(false, "");
    return events;
  }

  /** Consumes text-mode input; returns what is left for block mode. */
  private pushText(chunk: string, events: DetectorEvent[]): string {
    let text = this.pending + chunk;
    this.pending = "";
    if (this.eatSpaces) {
      text = text.replace(/^[ \t]+/, "");
      if (text === "") return "";
      this.eatSpaces = false;
    }
    if (this.awaitingFence) {
      const after = this.afterFencedBlock(text);
      if (after === null) {
        this.pending = text;
        return "";
      }
      text = after;
    }
    TAG_RE.lastIndex = 0;
    for (let m = TAG_RE.exec(text); m; m = TAG_RE.exec(text)) {
      const before = text.slice(0, m.index);
      if (m[1] === "/") {
        // A closing tag outside any block is removed (the text around it stays).
        this.emitText(before, events);
        text = text.slice(m.index + m[0].length);
        TAG_RE.lastIndex = 0;
        continue;
      }
      const carried = m.index === 0 ? this.nextFence : null;
      this.nextFence = null;
      let fenced = carried ? null : fenceBefore(before);
      this.emitText(before.slice(0, before.length - (fenced?.length ?? 0)), events);
      // A mark that closes the owner's code (a block's closing fence, the end of a code span) stays text.
      if (fenced && (fenced.fence === "```" ? this.markdown.codeOpen : this.markdown.spanOpen)) {
        this.emitText(before.slice(before.length - fenced.length), events);
        fenced = null;
      }
      this.enterBlock(true, m[0]);
      this.fence = carried ?? fenced?.fence ?? null;
      return text.slice(m.index + m[0].length);
    }
    const hold = heldSuffixLength(text);
    this.emitText(text.slice(0, text.length - hold), events);
    this.pending = text.slice(text.length - hold);
    return "";
  }

  /**
   * Right after a fenced block: drops the gap and the closing fence when they come, or the gap before
   * the next block of the same fence. Returns the text to go on with, or null while undecided.
   */
  private afterFencedBlock(text: string): string | null {
    const gap = (FENCE_GAP.exec(text) as RegExpExecArray)[0];
    const rest = text.slice(gap.length);
    const fence = this.fence ?? "`";
    if (rest === "" && gap.length < 64) return null;
    if (fence === "`" && /[\r\n]/.test(gap)) {
      // Inline code does not span lines: no closing backtick is coming.
      this.awaitingFence = false;
      this.fence = null;
      return text;
    }
    if (rest.startsWith(fence)) {
      this.awaitingFence = false;
      this.fence = null;
      // The rest of the closing fence's line (spaces) goes with it, also from later chunks; the line
      // break stays.
      if (fence !== "```") return rest.slice(1);
      this.eatSpaces = true;
      const after = rest.slice(3).replace(/^[ \t]+/, "");
      if (after !== "") this.eatSpaces = false;
      return after;
    }
    if (fence.startsWith(rest)) return null;
    if (rest[0] === "[" && isTagPrefix(rest, 0)) return null;
    TAG_RE.lastIndex = 0;
    const next = TAG_RE.exec(rest);
    this.awaitingFence = false;
    const fence0 = this.fence;
    this.fence = null;
    if (next && next.index === 0 && next[1] !== "/") {
      // Another block inside the same fence: the gap goes, the fence carries over to that block.
      this.nextFence = fence0;
      return rest;
    }
    return text;
  }

  /** Consumes block-mode input; returns what follows the closing tag, if it arrived. */
  private pushBlock(chunk: string, events: DetectorEvent[]): string {
    const scan = this.tail + chunk;
    CLOSE_RE.lastIndex = 0;
    const close = CLOSE_RE.exec(scan);
    if (close) {
      const end = close.index - this.tail.length;
      const bodyEnd = this.bodyLength + end;
      if (!this.discarding) {
        const body = (this.body() + chunk.slice(0, Math.max(0, end))).slice(0, bodyEnd);
        const raw = this.openTag + body;
        if (bodyEnd > MAX_BLOCK_BODY) events.push({ type: "unclosed", raw });
        else events.push({ type: "block", raw: raw + close[0], command: parseExecuteBlock(body) });
      }
      const fence = this.fence;
      this.enterBlock(false, "");
      if (fence) {
        this.fence = fence;
        this.awaitingFence = true;
      }
      return chunk.slice(end + close[0].length);
    }
    this.tail = scan.slice(-(MAX_TAG_LENGTH - 1));
    if (this.discarding) return "";
    this.parts.push(chunk);
    this.bodyLength += chunk.length;
    // The last characters may still be the start of the closing tag: only overflow when they cannot save it.
    if (this.bodyLength - (MAX_TAG_LENGTH - 1) > MAX_BLOCK_BODY) {
      events.push({ type: "unclosed", raw: this.openTag + this.body() });
      this.parts = [];
      this.bodyLength = 0;
      this.discarding = true;
    }
    return "";
  }

  private emitText(text: string, events: DetectorEvent[]): void {
    if (text === "") return;
    this.markdown.feed(text);
    events.push({ type: "text", text });
  }

  private body(): string {
    const joined = this.parts.join("");
    this.parts = joined === "" ? [] : [joined];
    return joined;
  }

  private enterBlock(inBlock: boolean, openTag: string): void {
    this.inBlock = inBlock;
    this.openTag = openTag;
    this.discarding = false;
    this.parts = [];
    this.bodyLength = 0;
    this.tail = "";
    this.fence = null;
  }
}

/** Hooks of {@link createExecuteTransform}, for logging. */
export interface ExecuteTransformHooks {
  /** A block was dropped: no closing tag by the end, or a body over {@link MAX_BLOCK_BODY}. */
  onUnclosed?(raw: string): void;
  /** A block ran; `replacement` is what `run` returned and was streamed in its place. */
  onBlock?(command: ParsedBlock | null, raw: string, replacement: string): void;
}

/**
 * Text in, text out: streams text through at once and replaces each block, in order, by what `run`
 * resolves to (awaited before anything after the block is sent). `run` should catch its own failures; a
 * rejection errors the stream.
 */
export function createExecuteTransform(
  run: (command: ParsedBlock | null, raw: string) => Promise<string>,
  hooks: ExecuteTransformHooks = {},
): TransformStream<string, string> {
  const detector = new ExecuteDetector();
  const emit = async (events: DetectorEvent[], out: TransformStreamDefaultController<string>) => {
    for (const event of events) {
      if (event.type === "text") out.enqueue(event.text);
      else if (event.type === "unclosed") hooks.onUnclosed?.(event.raw);
      else {
        const replacement = await run(event.command, event.raw);
        hooks.onBlock?.(event.command, event.raw, replacement);
        if (replacement !== "") out.enqueue(replacement);
      }
    }
  };
  return new TransformStream<string, string>({
    transform: (chunk, out) => emit(detector.push(chunk), out),
    flush: (out) => emit(detector.flush(), out),
  });
}
