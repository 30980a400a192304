/**
 * The events of one turn, kept in order with ids, fanned out to any number of readers. The producer (the
 * model call in the dialog's Durable Object) never waits for a reader, and a reader that goes away does
 * not stop it: a disconnect cuts only that reader's stream.
 */
import { encodeSse, SSE_DONE, SSE_PING } from "./sse-format.ts";

/** `thinking` (data `{}`): the model started reasoning, sent once before its first token, never its text. */
export type ChatEventName = "meta" | "thinking" | "token" | "command" | "done" | "error";

export interface ChatEvent {
  id: number;
  event: ChatEventName;
  data: unknown;
}

/** How often a reader gets a `: ping` comment while nothing else is sent (DESIGN: at least every 15 s). */
export const PING_INTERVAL_MS = 10_000;

const encoder = new TextEncoder();

export class EventLog {
  readonly events: ChatEvent[] = [];
  private closed = false;
  private readonly listeners = new Set<() => void>();

  push(event: ChatEventName, data: unknown): void {
    if (this.closed) return;
    this.events.push({
      id: this.events.length + 1,
      event,
      data: event === "error" ? withHumanError(data) : data,
    });
    if (event === "done" || event === "error") this.closed = true;
    for (const wake of this.listeners) wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the turn has ended (its `done` or `error` event). */
  finished(): Promise<ChatEvent> {
    return new Promise((resolve) => {
      const check = () => {
        const last = this.events.at(-1);
        if (this.closed && last) {
          this.listeners.delete(check);
          resolve(last);
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** An SSE byte stream of the events after `afterId`, live until the turn ends. */
  subscribe(afterId = 0, pingMs = PING_INTERVAL_MS): ReadableStream<Uint8Array> {
    let next = afterId;
    let wake: (() => void) | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      if (wake) this.listeners.delete(wake);
      clearInterval(timer);
    };
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const drain = () => {
          let text = "";
          while (next < this.events.length) {
            const e = this.events[next] as ChatEvent;
            text += encodeSse(e.event, e.data, e.id);
            next += 1;
          }
          if (text) controller.enqueue(encoder.encode(text));
          if (this.closed && next >= this.events.length) {
            stop();
            // Every reader, a resumed one too, ends with the unnamed marker the seed's clients stop at.
            controller.enqueue(encoder.encode(SSE_DONE));
            controller.close();
          }
        };
        wake = drain;
        this.listeners.add(drain);
        timer = setInterval(() => controller.enqueue(encoder.encode(SSE_PING)), pingMs);
        drain();
      },
      cancel: stop,
    });
  }
}

/**
 * An `error` event's data with `error` = its human message beside `code` and `message`: the original
 * backend's clients print `error` and know nothing of `code` (DESIGN.md "Chat stream protocol").
 */
function withHumanError(data: unknown): unknown {
  if (typeof data !== "object" || data === null) return data;
  const fields = data as Record<string, unknown>;
  if (typeof fields.message !== "string" || "error" in fields) return data;
  const { code, message, ...rest } = fields;
  return { code, message, error: message, ...rest };
}
