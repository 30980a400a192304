/** Server-sent events as CIP writes them: `id`, `event`, one `data` line of JSON, a blank line. */
export function encodeSse(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The last line of every chat stream, unnamed: the original backend's end marker. Its clients read any
 * `data:` line and stop here; CIP's named events come before it (DESIGN.md "Chat stream protocol").
 */
export const SSE_DONE = "data: [DONE]\n\n";

/** The keep-alive comment sent while a stream is idle. */
export const SSE_PING = ": ping\n\n";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

/** A streamed chat answer as the HTTP response every chat route returns. */
export function sseResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
