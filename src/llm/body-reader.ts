/**
 * Reads an OpenAI-compatible streaming body one network read at a time: the bytes decoded, parsed as
 * server-sent events and mapped to model events. Not a generator on purpose: the client's one async
 * generator yields what each read gave, so an event crosses one generator, not two.
 *
 * A read that waits `idleTimeoutMs` (keep-alive comments count as bytes) or an abort through `signal`
 * cancels the body; the read then throws the stall's `AppError` or the abort's reason. One timer and one
 * listener serve the whole stream.
 */
import { AppError } from "../errors.ts";
import { abortReason, type IdleWatch, idleWatch } from "./http.ts";
import { type OpenAiStreamEvent, OpenAiStreamMapper } from "./openai-stream.ts";
import { SseParser } from "./sse-parser.ts";

export class ModelBodyReader {
  /** Whether the body has ended (the last `next()` read its end). */
  ended = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder("utf-8");
  private readonly parser = new SseParser();
  private readonly mapper = new OpenAiStreamMapper();
  private readonly idle: IdleWatch;
  private failure: unknown;
  private readonly onAbort: () => void;

  constructor(
    body: ReadableStream<Uint8Array>,
    idleTimeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.reader = body.getReader();
    this.idle = idleWatch(idleTimeoutMs, () =>
      this.stop(new AppError("service_unavailable", "model stream stalled")),
    );
    this.onAbort = () => this.stop(signal ? abortReason(signal) : undefined);
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** The events of the next network read (possibly none); at the end, the last ones and `ended`. */
  async next(): Promise<OpenAiStreamEvent[]> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    this.idle.waiting();
    try {
      chunk = await this.reader.read();
    } catch (err) {
      throw this.failure ?? err;
    } finally {
      this.idle.done();
    }
    if (this.failure !== undefined) throw this.failure;
    const out: OpenAiStreamEvent[] = [];
    const sse = chunk.done
      ? [...this.parser.push(this.decoder.decode()), ...this.parser.flush()]
      : this.parser.push(this.decoder.decode(chunk.value, { stream: true }));
    for (const event of sse) for (const mapped of this.mapper.map(event)) out.push(mapped);
    if (chunk.done) {
      this.ended = true;
      for (const mapped of this.mapper.end()) out.push(mapped);
    }
    return out;
  }

  /** Stops the timer and the listener and cancels the body (a no-op after its end). */
  close(): void {
    this.idle.stop();
    this.signal?.removeEventListener("abort", this.onAbort);
    this.reader.cancel().catch(() => {});
  }

  private stop(reason: unknown): void {
    this.failure ??= reason;
    this.reader.cancel().catch(() => {});
  }
}
