/**
 * A scripted OpenAI-compatible model server for tests: an injectable `fetch` and a response body that
 * delivers chunks one read at a time, with pauses, or hangs.
 */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `data:` event of a chat completion stream with a delta for choice 0. */
export const sseChunk = (d: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: finish }] })}\n\n`;

/** A body step: strings/bytes are delivered one per read, numbers are pauses, `stall` hangs forever. */
export type Step = string | Uint8Array | number | "stall";

/** A scripted body; `state.cancelled` turns true when the reader cancels it. */
export function scriptedBody(steps: Step[]) {
  const state = { cancelled: false };
  const queue = [...steps];
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const step = queue.shift();
        if (step === undefined) return controller.close();
        if (step === "stall") return new Promise<void>(() => {});
        if (typeof step === "number") await sleep(step);
        else return controller.enqueue(typeof step === "string" ? new TextEncoder().encode(step) : step);
      }
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

export interface FetchCall {
  url: string;
  init: RequestInit | undefined;
}

/** A `fetch` that records its calls and answers with `respond`. */
export function fakeFetch(respond: (call: FetchCall) => Response | Promise<Response>) {
  const calls: FetchCall[] = [];
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return { impl, calls };
}
