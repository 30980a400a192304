/**
 * A local OpenAI-compatible chat model speaking DeepSeek's wire protocol (`POST /chat/completions`, SSE
 * chunks, `: keep-alive` comments, a final usage chunk, `data: [DONE]`). Like DeepSeek's V4 models it
 * thinks unless the request carries `"thinking": {"type": "disabled"}`: `reasoning_content` chunks for
 * `thinkingMs` first, then `content`. Usage has the cache fields and reasoning tokens (see fake-usage.ts).
 * Two uses:
 * - `npm run dev` without DEEPSEEK_API_KEY: the offline stand-in (offline-model.ts) answers, saying so;
 * - tests and benchmarks: a request whose last user message contains `[[script:ID]]` follows the script
 *   registered under ID (`POST /__scripts`): reply text, chunking, keep-alives, reasoning, failures.
 * `GET /__requests?script=ID` returns the request bodies a script received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { PromptCache, tokensOf, type UsageOverride, usageOf } from "./fake-usage.ts";
import { lastUserText, OFFLINE_MARK, offlineReply } from "./offline-model.ts";

export { OFFLINE_MARK };

export interface Script {
  /** Full reply text; split into chunks of `chunkSize` characters (or random 1..8 when "random"). */
  reply?: string;
  chunkSize?: number | "random";
  /** Delay between chunks. */
  delayMs?: number;
  /** Send `: keep-alive` before every chunk. */
  keepAlive?: boolean;
  /**
   * Reasoning text streamed first as `reasoning_content` (instead of a generated one). Sent even when the
   * request disables thinking, so a test can force a thinking turn.
   */
  reasoning?: string;
  /** How long this script thinks (overrides the model's `thinkingMs`); 0 without `reasoning`: no thinking. */
  thinkMs?: number;
  /** Answer this HTTP status with an error body instead of streaming. */
  status?: number;
  retryAfter?: number;
  /** Destroy the connection after this many content chunks. */
  dropAfterChunks?: number;
  /** Stop sending (but keep the connection open) after this many content chunks. */
  stallAfterChunks?: number;
  /** Wait this long before answering the headers. */
  headerDelayMs?: number;
  /**
   * Token counts of the final usage chunk, exactly as given (cache hits 0 unless given); omitted: estimated
   * from the request and the reply (see fake-usage.ts); `null` sends no usage chunk at all.
   */
  usage?: UsageOverride | null;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  thinking?: { type?: string };
  messages?: Array<{ role?: string; content?: unknown }>;
}

export interface FakeModel {
  url: string;
  stop(): Promise<void>;
}

const SCRIPT_TAG = /\[\[script:([\w-]+)\]\]/;
/** How long a turn thinks unless told otherwise: long enough to notice in `npm run dev` and the bench. */
export const DEFAULT_THINKING_MS = 600;
const THOUGHTS = ["Reading the request. ", "Checking what I know. ", "Weighing the answer. ", "Writing it. "];

function chunksOf(text: string, size: Script["chunkSize"]): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; ) {
    const n = size === "random" ? 1 + Math.floor(Math.random() * 8) : Math.max(1, size ?? 4);
    out.push(chars.slice(i, i + n).join(""));
    i += n;
  }
  return out;
}

/** The reasoning pieces of a turn, streamed `ms` apart in total; empty when the turn does not think. */
function thoughtsOf(body: ChatBody, script: Script, defaultMs: number): { pieces: string[]; gapMs: number } {
  const ms = Math.max(0, script.thinkMs ?? defaultMs);
  if (script.reasoning !== undefined) {
    const pieces = chunksOf(script.reasoning, 8);
    return { pieces, gapMs: pieces.length ? ms / pieces.length : 0 };
  }
  if (body.thinking?.type === "disabled" || ms === 0) return { pieces: [], gapMs: 0 };
  const count = Math.max(1, Math.round(ms / 50));
  return {
    pieces: Array.from({ length: count }, (_, i) => THOUGHTS[i % THOUGHTS.length] as string),
    gapMs: ms / count,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeModel(opts: {
  port: number;
  host?: string;
  /** Delay between the offline stand-in's content chunks (default 15 ms). */
  tokenDelayMs?: number;
  /** How long a turn thinks when the request does not disable thinking (default DEFAULT_THINKING_MS). */
  thinkingMs?: number;
}): Promise<FakeModel> {
  const host = opts.host ?? "127.0.0.1";
  const thinkingMs = opts.thinkingMs ?? DEFAULT_THINKING_MS;
  const scripts = new Map<string, Script>();
  const requests = new Map<string, ChatBody[]>();
  const cache = new PromptCache();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    if (req.method === "POST" && path === "/__scripts") {
      const { id, script } = JSON.parse(await readBody(req)) as { id: string; script: Script };
      scripts.set(id, script);
      return void res.writeHead(204).end();
    }
    if (req.method === "GET" && path === "/__requests") {
      const list = requests.get(query.get("script") ?? "") ?? [];
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(list));
    }
    if (req.method === "GET" && path.endsWith("/models")) {
      const data = ["deepseek-flash", "fake-model"].map((id) => ({ id, object: "model" }));
      return void res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ object: "list", data }));
    }
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      return void res
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"message":"not found"}}');
    }
    let body: ChatBody;
    try {
      body = JSON.parse(await readBody(req)) as ChatBody;
    } catch {
      return void res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"error":{"message":"invalid JSON"}}');
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const scriptId = SCRIPT_TAG.exec(lastUserText(messages))?.[1];
    if (scriptId) requests.set(scriptId, [...(requests.get(scriptId) ?? []), body]);
    const script: Script = (scriptId && scripts.get(scriptId)) || {
      reply: offlineReply(messages),
      chunkSize: "random",
      delayMs: opts.tokenDelayMs ?? 15,
    };
    await stream(res, body, messages, script);
  }

  async function stream(
    res: ServerResponse,
    body: ChatBody,
    messages: NonNullable<ChatBody["messages"]>,
    script: Script,
  ): Promise<void> {
    if (script.headerDelayMs) await sleep(script.headerDelayMs);
    if (script.status) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (script.retryAfter !== undefined) headers["retry-after"] = String(script.retryAfter);
      return void res
        .writeHead(script.status, headers)
        .end(JSON.stringify({ error: { message: "scripted failure", type: "api_error" } }));
    }
    const reply = script.reply ?? "";
    const id = `chatcmpl-fake-${Date.now()}`;
    const model = body.model ?? "fake-model";
    const thoughts = thoughtsOf(body, script, thinkingMs);
    const reasoning = thoughts.pieces.join("");
    const usage = usageOf(
      { ...cache.account(messages), reply, reasoningTokens: tokensOf(reasoning) },
      script.usage ?? undefined,
    );
    if (!body.stream) {
      if (thoughts.pieces.length) await sleep(thoughts.gapMs * thoughts.pieces.length);
      const message = {
        role: "assistant",
        content: reply,
        ...(reasoning ? { reasoning_content: reasoning } : {}),
      };
      return void res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id,
          object: "chat.completion",
          model,
          choices: [{ index: 0, message, finish_reason: "stop" }],
          usage,
        }),
      );
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    const send = (delta: Record<string, string | null>, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    // DeepSeek's thinking mode: content is null while reasoning streams, and the other way round after.
    const thinking = thoughts.pieces.length > 0;
    send(
      thinking
        ? { role: "assistant", content: null, reasoning_content: "" }
        : { role: "assistant", content: "" },
    );
    for (const piece of thoughts.pieces) {
      if (res.destroyed) return;
      send({ content: null, reasoning_content: piece });
      if (thoughts.gapMs) await sleep(thoughts.gapMs);
    }
    let sent = 0;
    for (const piece of chunksOf(reply, script.chunkSize)) {
      if (res.destroyed) return;
      if (script.dropAfterChunks !== undefined && sent >= script.dropAfterChunks) return void res.destroy();
      if (script.stallAfterChunks !== undefined && sent >= script.stallAfterChunks) return; // never ends
      if (script.keepAlive) res.write(": keep-alive\n\n");
      send(thinking ? { content: piece, reasoning_content: null } : { content: piece });
      sent += 1;
      if (script.delayMs) await sleep(script.delayMs);
    }
    send({}, "stop");
    if (script.usage !== null)
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", model, choices: [], usage })}\n\n`,
      );
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  return {
    url: `http://${host}:${opts.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
