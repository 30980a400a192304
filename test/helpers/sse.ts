/**
 * Reads a chat SSE response into its events, with the same parser the app uses for model streams. The
 * closing unnamed `data: [DONE]` (for the original backend's clients) is not an event here; chat-seed-client
 * tests read the raw stream for it.
 */
import { SseParser } from "../../src/llm/sse-parser.ts";

export interface ReadEvent {
  event: string;
  data: Record<string, unknown>;
  id?: string;
}

export async function readSse(res: Response): Promise<ReadEvent[]> {
  if (!res.body) throw new Error("no body");
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const events: ReadEvent[] = [];
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const e of parser.push(decoder.decode(value, { stream: true })))
      if (!isDone(e)) events.push(toEvent(e));
  }
  for (const e of parser.flush()) if (!isDone(e)) events.push(toEvent(e));
  return events;
}

/** The stream's last line, `data: [DONE]`, unnamed. */
export function isDone(e: { event: string; data: string }): boolean {
  return e.event === "message" && e.data === "[DONE]";
}

function toEvent(e: { event: string; data: string; id?: string }): ReadEvent {
  return {
    event: e.event,
    data: JSON.parse(e.data) as Record<string, unknown>,
    ...(e.id ? { id: e.id } : {}),
  };
}

/** The visible answer: all token texts (`content`) joined. */
export function tokensText(events: ReadEvent[]): string {
  return events
    .filter((e) => e.event === "token")
    .map((e) => String(e.data.content))
    .join("");
}

/** The dialog id announced by the `meta` event. */
export function dialogIdOf(events: ReadEvent[]): string {
  const meta = events.find((e) => e.event === "meta");
  if (!meta) throw new Error("no meta event");
  return String(meta.data.dialog_id);
}
