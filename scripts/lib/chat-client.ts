/**
 * A client for CIP's chat SSE (`meta`, `token` {content}, `command`, `done` | `error`, `id:` lines,
 * `: ping` comments, a closing unnamed `data: [DONE]`) that times one turn: request start, first
 * `token`, end. Can hang up after N tokens (a visitor closing the tab). Used by the load and fault
 * scripts.
 */

export interface SseEvent {
  id: number | undefined;
  event: string;
  data: unknown;
  /** performance.now() when it arrived. */
  at: number;
}

export interface TurnRecord {
  /** HTTP status of the answer (0 when the request itself failed). */
  status: number;
  startedAt: number;
  firstTokenAt: number | undefined;
  endedAt: number;
  dialogId: string | undefined;
  /** The `token` texts joined. */
  text: string;
  tokens: number;
  pings: number;
  /** Every event except `token`s. */
  events: SseEvent[];
  /**
   * done | error: the stream's end event; aborted: we hung up (abortAfterTokens); cut: the stream closed
   * without an end event; timeout: nothing ended it within timeoutMs; http_error: refused with a status.
   */
  end: "done" | "error" | "aborted" | "cut" | "timeout" | "http_error" | "network_error";
  /** The `error` event's data or the JSON error body of a refused request. */
  error: unknown;
}

export interface TurnOptions {
  /** Hang up after this many `token` events. */
  abortAfterTokens?: number;
  headers?: Record<string, string>;
  /** Give up (and count it as a failure) after this long. */
  timeoutMs?: number;
}

/** Incremental parser: feed text, get complete events; comments count as pings. */
export class SseReader {
  private buffer = "";
  pings = 0;

  push(text: string, at: number): SseEvent[] {
    this.buffer += text.replace(/\r\n/g, "\n");
    const out: SseEvent[] = [];
    for (let end = this.buffer.indexOf("\n\n"); end >= 0; end = this.buffer.indexOf("\n\n")) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const parsed = this.parseBlock(block, at);
      if (parsed) out.push(parsed);
    }
    return out;
  }

  private parseBlock(block: string, at: number): SseEvent | undefined {
    let id: number | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) this.pings += 1;
      else if (line.startsWith("id:")) id = Number(line.slice(3).trim());
      else if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return undefined;
    const raw = data.join("\n");
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // keep the text
    }
    return { id, event, data: value, at };
  }
}

function field(data: unknown, name: string): unknown {
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>)[name] : undefined;
}

function emptyRecord(startedAt: number): TurnRecord {
  return {
    status: 0,
    startedAt,
    firstTokenAt: undefined,
    endedAt: startedAt,
    dialogId: undefined,
    text: "",
    tokens: 0,
    pings: 0,
    events: [],
    end: "network_error",
    error: undefined,
  };
}

/** Applies one event to the record; true when the turn ended. */
function apply(record: TurnRecord, ev: SseEvent): boolean {
  if (ev.event === "token") {
    record.firstTokenAt ??= ev.at;
    record.tokens += 1;
    record.text += String(field(ev.data, "content") ?? "");
    return false;
  }
  record.events.push(ev);
  if (ev.event === "meta") record.dialogId = String(field(ev.data, "dialog_id") ?? "") || undefined;
  if (ev.event === "done" || ev.event === "error") {
    record.end = ev.event;
    if (ev.event === "error") record.error = ev.data;
    return true;
  }
  return false;
}

/** Sends one chat turn to `url` (POST …/chat) and reads its stream to the end (or hangs up). */
export async function chatTurn(url: string, body: unknown, opts: TurnOptions = {}): Promise<TurnRecord> {
  const record = emptyRecord(performance.now());
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("timeout"));
  }, opts.timeoutMs ?? 120_000);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...opts.headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    record.status = res.status;
    if (!res.ok || !res.body) {
      record.end = "http_error";
      record.error = await res.json().catch(() => undefined);
      return record;
    }
    await readStream(res.body, record, controller, opts);
  } catch (err) {
    if (timedOut) record.end = "timeout";
    record.error ??= err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
    record.endedAt = performance.now();
  }
  return record;
}

async function readStream(
  body: ReadableStream<Uint8Array>,
  record: TurnRecord,
  controller: AbortController,
  opts: TurnOptions,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const sse = new SseReader();
  record.end = "cut"; // until an end event arrives
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const ev of sse.push(decoder.decode(value, { stream: true }), performance.now())) {
      if (apply(record, ev)) {
        record.pings = sse.pings;
        // The server closes the stream right after its end event; reading to the end keeps the connection.
        while (!(await reader.read()).done) {}
        return;
      }
      if (opts.abortAfterTokens !== undefined && record.tokens >= opts.abortAfterTokens) {
        record.end = "aborted";
        record.pings = sse.pings;
        controller.abort();
        await reader.cancel().catch(() => {});
        return;
      }
    }
  }
  record.pings = sse.pings;
}

/** Reads a whole SSE response (e.g. the resume stream) into its events, tokens joined. */
export async function readAll(res: Response): Promise<{ events: SseEvent[]; text: string }> {
  const sse = new SseReader();
  const events = sse.push(await res.text(), performance.now());
  const text = events
    .filter((e) => e.event === "token")
    .map((e) => String(field(e.data, "content") ?? ""))
    .join("");
  return { events, text };
}
