/**
 * Incremental detection of `[EXECUTE]...[/EXECUTE]` blocks in streamed model output (DESIGN.md, "EXECUTE
 * blocks"). Text is forwarded as soon as it arrives; only a trailing fragment that could still grow into
 * the opening tag is held back. Tags are matched exactly and case-sensitively (`[execute]` is plain text),
 * so prose that merely mentions a tag in another spelling is never swallowed.
 */

/** The command written inside a block: name upper-cased, positional args and `key=value` params. */
export interface ParsedBlock {
  name: string;
  args: string[];
  params: Record<string, string>;
}

/**
 * What the detector found. `raw` is the block with its tags; an `unclosed` block (no closing tag by the
 * end, or a body over {@link MAX_BLOCK_BODY}) is dropped and reported for logging only, never as text.
 */
export type DetectorEvent =
  | { type: "text"; text: string }
  | { type: "block"; raw: string; command: ParsedBlock | null }
  | { type: "unclosed"; raw: string };

export const OPEN_TAG = "[EXECUTE]";
export const CLOSE_TAG = "[/EXECUTE]";
/** Largest block body, in UTF-16 code units (16 Ki), before the block is treated as garbage. */
export const MAX_BLOCK_BODY = 16 * 1024;

/**
 * Parses a block body (the text between the tags). The first non-empty line is the command name; each
 * further non-empty line is `key=value` (split at the first `=`, key lower-cased) or, when it has no `=`
 * or an empty key, a positional argument. Lines are trimmed; a repeated key keeps its last value.
 * Returns null when the body has no command name.
 */
export function parseExecuteBlock(body: string): ParsedBlock | null {
  const lines = body
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const [first, ...rest] = lines;
  if (first === undefined) return null;
  const args: string[] = [];
  const params: Array<[string, string]> = [];
  for (const line of rest) {
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim().toLowerCase() : "";
    if (key === "") args.push(line);
    else params.push([key, line.slice(eq + 1).trim()]);
  }
  return { name: first.toUpperCase(), args, params: Object.fromEntries(params) };
}

/** Length of the longest suffix of `text` that is a proper prefix of the opening tag (at most 8). */
function pendingTagLength(text: string): number {
  let at = text.indexOf("[", Math.max(0, text.length - (OPEN_TAG.length - 1)));
  while (at !== -1) {
    if (OPEN_TAG.startsWith(text.slice(at))) return text.length - at;
    at = text.indexOf("[", at + 1);
  }
  return 0;
}

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
  /** Text mode: the held-back possible opening-tag fragment. */
  private pending = "";
  private inBlock = false;
  /** Discarding the rest of an oversized block. */
  private discarding = false;
  /** Block mode: body chunks so far, their total length and the last few characters. */
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
    if (this.inBlock && !this.discarding) events.push({ type: "unclosed", raw: OPEN_TAG + this.body() });
    else if (this.pending !== "") events.push({ type: "text", text: this.pending });
    this.pending = "";
    this.enterBlock(false);
    return events;
  }

  /** Consumes text-mode input; returns what is left for block mode. */
  private pushText(chunk: string, events: DetectorEvent[]): string {
    const text = this.pending + chunk;
    const open = text.indexOf(OPEN_TAG);
    if (open !== -1) {
      if (open > 0) events.push({ type: "text", text: text.slice(0, open) });
      this.pending = "";
      this.enterBlock(true);
      return text.slice(open + OPEN_TAG.length);
    }
    const hold = pendingTagLength(text);
    if (hold < text.length) events.push({ type: "text", text: text.slice(0, text.length - hold) });
    this.pending = hold > 0 ? text.slice(text.length - hold) : "";
    return "";
  }

  /** Consumes block-mode input; returns what follows the closing tag, if it arrived. */
  private pushBlock(chunk: string, events: DetectorEvent[]): string {
    const scan = this.tail + chunk;
    const close = scan.indexOf(CLOSE_TAG);
    if (close !== -1) {
      const end = close - this.tail.length;
      const bodyEnd = this.bodyLength + end;
      if (!this.discarding) {
        const body = (this.body() + chunk.slice(0, Math.max(0, end))).slice(0, bodyEnd);
        const raw = OPEN_TAG + body;
        if (bodyEnd > MAX_BLOCK_BODY) events.push({ type: "unclosed", raw });
        else events.push({ type: "block", raw: raw + CLOSE_TAG, command: parseExecuteBlock(body) });
      }
      this.enterBlock(false);
      return chunk.slice(end + CLOSE_TAG.length);
    }
    this.tail = scan.slice(-(CLOSE_TAG.length - 1));
    if (this.discarding) return "";
    this.parts.push(chunk);
    this.bodyLength += chunk.length;
    // The last characters may still be the start of the closing tag: only overflow when they cannot save it.
    if (this.bodyLength - (CLOSE_TAG.length - 1) > MAX_BLOCK_BODY) {
      events.push({ type: "unclosed", raw: OPEN_TAG + this.body() });
      this.parts = [];
      this.bodyLength = 0;
      this.discarding = true;
    }
    return "";
  }

  private body(): string {
    const joined = this.parts.join("");
    this.parts = joined === "" ? [] : [joined];
    return joined;
  }

  private enterBlock(inBlock: boolean): void {
    this.inBlock = inBlock;
    this.discarding = false;
    this.parts = [];
    this.bodyLength = 0;
    this.tail = "";
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
