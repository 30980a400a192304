/** Reads a live SSE feed (one that stays open) event by event, with time limits, for the takeover tests. */
import { SseParser } from "../../src/llm/sse-parser.ts";
import { isDone, type ReadEvent } from "./sse.ts";

export interface FeedReader {
  /** The next event (pings are comments and never show); fails after `timeoutMs` or if the feed ended. */
  next(timeoutMs?: number): Promise<ReadEvent>;
  /** Fails if an event arrives within `ms`. */
  quiet(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Wraps an SSE response that stays open. */
export function feedReader(res: Response): FeedReader {
  if (!res.body) throw new Error("no body");
  const reader = res.body.getReader();
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const queue: ReadEvent[] = [];
  // One read at a time: a read left pending by a timeout is picked up by the next call, not lost.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const fill = async (deadline: number): Promise<boolean> => {
    while (queue.length === 0) {
      pending ??= reader.read();
      const timer = new Promise<"timeout">((r) =>
        setTimeout(() => r("timeout"), Math.max(0, deadline - Date.now())),
      );
      const result = await Promise.race([pending, timer]);
      if (result === "timeout") return false;
      pending = undefined;
      if (result.done) throw new Error("the feed ended");
      for (const e of parser.push(decoder.decode(result.value, { stream: true }))) {
        if (isDone(e)) continue;
        queue.push({
          event: e.event,
          data: JSON.parse(e.data) as Record<string, unknown>,
          ...(e.id ? { id: e.id } : {}),
        });
      }
    }
    return true;
  };
  return {
    async next(timeoutMs = 5000) {
      if (!(await fill(Date.now() + timeoutMs))) throw new Error(`no feed event within ${timeoutMs} ms`);
      return queue.shift() as ReadEvent;
    },
    async quiet(ms) {
      if (await fill(Date.now() + ms)) throw new Error(`unexpected feed event: ${JSON.stringify(queue[0])}`);
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
