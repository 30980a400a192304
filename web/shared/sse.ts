/**
 * Server-sent events over fetch: the chat is a POST, so EventSource cannot be used. `readSse` parses a
 * `text/event-stream` body as the HTML spec says (comments, multi-line data, CR/LF/CRLF line ends,
 * events split across network chunks); `streamTurn` runs one chat turn and hands out typed events.
 */
import { ApiError, errorFrom, jsonHeaders } from "./api.ts";
import { t } from "./i18n.ts";

export interface SseEvent {
  event: string;
  data: string;
  /** The `id:` of the event (the last one seen, as the spec says), or "" when none was sent. */
  id: string;
}

/** Yields the events of an SSE body as they complete. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let id = "";
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (;;) {
        const match = /\r\n|\n|\r/.exec(buffer);
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (!match || (match[0] === "\r" && match.index === buffer.length - 1)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === "") {
          if (data.length > 0) yield { event: event || "message", data: data.join("\n"), id };
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id" && !value.includes("\0")) id = value;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export interface CommandEvent {
  name: string;
  ok: boolean;
  result?: string;
  data?: unknown;
}

export type TurnEvent =
  | { type: "meta"; dialog_id: string; message_id: string }
  /** The model started reasoning (sent once, before its first token; the reasoning itself never comes). */
  | { type: "thinking" }
  /** A piece of the answer, as the original backend named it (`content`). */
  | { type: "token"; content: string }
  | ({ type: "command" } & CommandEvent)
  | { type: "done"; dialog_id: string; message_id: string; status?: string }
  /** `error` repeats `message` for clients written for the original backend. */
  | { type: "error"; code: string; message: string; error?: string };

export interface TurnRequest {
  url: string;
  /** POST with `body` (a new turn) or GET (resuming one). */
  method?: "POST" | "GET";
  body?: unknown;
  token?: string | null;
  /** Extra request headers (e.g. the chat's X-Widget-Token). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onEvent: (event: TurnEvent) => void;
  /** Keeps the id of the last event handled, for resuming after it. */
  progress?: { lastId: number };
}

/**
 * POSTs a chat turn and dispatches its events. Rejects with an ApiError when the request is refused
 * (the envelope) or the connection fails before `done`/`error`.
 */
export async function streamTurn(req: TurnRequest): Promise<void> {
  let res: Response;
  try {
    const post = req.method !== "GET";
    res = await fetch(req.url, {
      method: post ? "POST" : "GET",
      headers: {
        ...req.headers,
        ...jsonHeaders(req.token),
        accept: "text/event-stream",
        ...(post ? { "content-type": "application/json" } : {}),
      },
      body: post ? JSON.stringify(req.body) : undefined,
      signal: req.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", t("networkError"));
  }
  if (!res.ok || !res.body) throw await errorFrom(res);
  let finished = false;
  try {
    for await (const sse of readSse(res.body)) {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(sse.data) as Record<string, unknown>;
      } catch {
        // The closing unnamed `data: [DONE]` line (for the original backend's clients) is not JSON.
        continue;
      }
      if (sse.event === "done" || sse.event === "error") finished = true;
      if (["meta", "thinking", "token", "command", "done", "error"].includes(sse.event)) {
        req.onEvent({ ...payload, type: sse.event } as TurnEvent);
      }
      const id = Number(sse.id);
      if (req.progress && Number.isInteger(id) && id > 0) req.progress.lastId = id;
    }
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    if (!finished) throw new ApiError(0, "network_error", t("networkError"));
  }
  if (!finished) throw new ApiError(0, "stream_ended", t("interrupted"));
}
