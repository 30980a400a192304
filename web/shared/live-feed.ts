/**
 * A live SSE feed over fetch (GET, with a bearer token when given) that stays open: it reconnects with
 * backoff when the connection drops, resumes after the last event id it saw, lets go of the connection
 * while the page has been hidden for a minute (and picks up what it missed when the page is back), and
 * stops for good when the server says the feed is not there for this caller (404, 401, 403, 409, 422).
 */
import { jsonHeaders } from "./api.ts";
import { readSse } from "./sse.ts";

export interface LiveFeedOptions {
  /** The feed's URL for a resume point (the last event id the caller has; 0 for none). */
  url(lastId: number): string;
  token?: () => string | null | undefined;
  /** More request headers, fetched before each connection (e.g. a protected chat's X-Widget-Token). */
  headers?: () => Promise<Record<string, string>>;
  lastId: number;
  onEvent(event: string, data: Record<string, unknown>): void;
  /** The feed will not come back (the status that refused it). */
  onEnd?(status: number): void;
}

export interface LiveFeed {
  close(): void;
}

const HIDDEN_GRACE_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
const FINAL = new Set([401, 403, 404, 409, 410, 422]);

/** Opens a feed; it runs until `close()` or a final refusal. */
export function openLiveFeed(opts: LiveFeedOptions): LiveFeed {
  let lastId = opts.lastId;
  let closed = false;
  let running: AbortController | null = null;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined;

  const retry = () => {
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures) * (0.75 + Math.random() * 0.5);
    failures += 1;
    retryTimer = setTimeout(() => void connect(), delay);
  };

  async function connect(): Promise<void> {
    if (closed || running || document.visibilityState === "hidden") return;
    const controller = new AbortController();
    running = controller;
    try {
      const extra = (await opts.headers?.()) ?? {};
      const res = await fetch(opts.url(lastId), {
        headers: { ...extra, ...jsonHeaders(opts.token?.()), accept: "text/event-stream" },
        signal: controller.signal,
        credentials: "same-origin",
        cache: "no-store",
      });
      if (FINAL.has(res.status)) {
        closed = true;
        opts.onEnd?.(res.status);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`feed answered ${res.status}`);
      failures = 0;
      for await (const sse of readSse(res.body)) {
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(sse.data) as Record<string, unknown>;
        } catch {
          continue;
        }
        const id = Number(sse.id);
        if (Number.isInteger(id) && id > lastId) lastId = id;
        opts.onEvent(sse.event, data);
      }
    } catch {
      // dropped, refused for now, or let go on purpose: decided below
    } finally {
      if (running === controller) running = null;
    }
    if (!closed && !controller.signal.aborted) retry();
  }

  const onVisibility = () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === "hidden") {
      hiddenTimer = setTimeout(() => running?.abort(), HIDDEN_GRACE_MS);
    } else if (!running && !closed) {
      clearTimeout(retryTimer);
      void connect();
    }
  };
  document.addEventListener("visibilitychange", onVisibility);
  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(hiddenTimer);
      document.removeEventListener("visibilitychange", onVisibility);
      running?.abort();
    },
  };
}
