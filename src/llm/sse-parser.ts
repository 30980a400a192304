/**
 * An incremental parser for `text/event-stream` (the WHATWG "server-sent events" format). Pure: feed it
 * decoded text in chunks of any size and it hands back the events that became complete. Used to read the
 * model's stream and, in tests, our own chat stream.
 *
 * Follows the spec: lines end in CRLF, LF or CR (a CRLF split across two chunks counts once); `data:` lines
 * join with "\n"; one space after the colon is dropped; lines starting with ":" are comments and ignored;
 * unknown fields (and `retry:`) are ignored; a blank line ends an event; an event without any `data:` line
 * is not dispatched; `id:` sets the last event id, which persists for later events; a leading BOM is skipped.
 * One deliberate leniency: `flush()` (end of stream) also dispatches an event whose final blank line never
 * came, so a stream cut right after its last `data:` line still yields it.
 */

/** One dispatched event. `event` is "message" unless the stream named it. */
export interface SseEvent {
  event: string;
  data: string;
  /** The last event id seen so far in the stream, if any. */
  id?: string;
}

const LF = 10;
const CR = 13;

export class SseParser {
  private pending = "";
  private skipLf = false;
  private started = false;
  private data: string[] = [];
  private eventType = "";
  private lastId = "";

  /** Feeds the next piece of the stream; returns the events completed by it, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (text === "") return [];
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    const out: SseEvent[] = [];
    let lineStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      const line = this.pending + text.slice(lineStart, i);
      this.pending = "";
      this.processLine(line, out);
      if (c === CR) {
        if (i + 1 === text.length) this.skipLf = true;
        else if (text.charCodeAt(i + 1) === LF) i++;
      }
      lineStart = i + 1;
    }
    this.pending += text.slice(lineStart);
    return out;
  }

  /** Ends the stream: processes an unterminated last line and dispatches a pending event. Resets the parser. */
  flush(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.pending !== "") this.processLine(this.pending, out);
    this.dispatch(out);
    this.pending = "";
    this.skipLf = false;
    this.started = false;
    this.lastId = "";
    return out;
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ":" */) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventType = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.data.length > 0) {
      const event: SseEvent = { event: this.eventType || "message", data: this.data.join("\n") };
      if (this.lastId !== "") event.id = this.lastId;
      out.push(event);
    }
    this.data = [];
    this.eventType = "";
  }
}
