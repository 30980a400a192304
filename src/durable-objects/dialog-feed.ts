/**
 * The live feeds of one dialog, fanned out by its Durable Object: the visitor's (operator replies and the
 * takeover state, so a web page shows a human's answers as they are written) and the cabinet's (every
 * message once final, and the takeover state, so the operator sees the visitor write). Each reader gets
 * the current state first, then what it missed after its last event id (the message `seq`), then live
 * events; `: ping` comments keep idle connections open. A reader that goes away is simply dropped.
 */
import { PING_INTERVAL_MS } from "../chat/event-log.ts";
import { encodeSse, SSE_PING } from "../chat/sse-format.ts";
import { cabinetMessage } from "../services/dialogs/dialog-message.ts";
import type { StoredMessage, TakeoverState } from "./dialog-store.ts";

export type FeedAudience = "visitor" | "cabinet";

interface Reader {
  audience: FeedAudience;
  send(text: string): void;
}

/** The `state` event: whether a human holds the dialog. The visitor learns a display name, never an id. */
export function stateEvent(audience: FeedAudience, state: TakeoverState | null): Record<string, unknown> {
  if (audience === "visitor") return { taken_over: state !== null, operator_name: state?.name ?? null };
  return {
    taken_over: state !== null,
    taken_over_by: state?.by ?? null,
    taken_over_at: state ? new Date(state.at).toISOString() : null,
  };
}

/** An operator reply as the visitor's `operator` event carries it. */
function visitorMessage(m: StoredMessage): Record<string, unknown> {
  return {
    id: m.id,
    seq: m.seq,
    text: m.content,
    operator_name: m.authorName ?? null,
    created_at: new Date(m.createdAt).toISOString(),
  };
}

function messageSse(audience: FeedAudience, m: StoredMessage): string {
  return audience === "visitor"
    ? encodeSse("operator", visitorMessage(m), m.seq)
    : encodeSse("message", cabinetMessage(m), m.seq);
}

export class DialogFeed {
  private readonly readers = new Set<Reader>();

  /** How many visitor pages are connected right now. */
  visitorCount(): number {
    let n = 0;
    for (const r of this.readers) if (r.audience === "visitor") n += 1;
    return n;
  }

  /** A new message in a final state; the visitor's feed carries operator replies only. */
  publishMessage(m: StoredMessage): void {
    for (const r of this.readers) {
      if (r.audience === "cabinet" || m.role === "operator") r.send(messageSse(r.audience, m));
    }
  }

  publishState(state: TakeoverState | null): void {
    for (const r of this.readers) r.send(encodeSse("state", stateEvent(r.audience, state)));
  }

  /** An SSE stream: the state, then `missed` (messages after the reader's last event), then live events. */
  subscribe(
    audience: FeedAudience,
    state: TakeoverState | null,
    missed: StoredMessage[],
    pingMs = PING_INTERVAL_MS,
  ): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let reader: Reader | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      if (reader) this.readers.delete(reader);
      clearInterval(timer);
    };
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop(); // the reader is gone; nothing to tell
          }
        };
        // Replay and registration happen in one synchronous step, so no message can fall in between.
        let first = encodeSse("state", stateEvent(audience, state));
        for (const m of missed) first += messageSse(audience, m);
        send(first);
        reader = { audience, send };
        this.readers.add(reader);
        timer = setInterval(() => send(SSE_PING), pingMs);
      },
      cancel: stop,
    });
  }
}
