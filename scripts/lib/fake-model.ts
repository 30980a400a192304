/**
 * A local OpenAI-compatible chat model speaking the real wire protocol (`POST /chat/completions`, SSE
 * chunks, `: keep-alive` comments, a final usage chunk, `data: [DONE]`). Two uses:
 * - `npm run dev` without DEEPSEEK_API_KEY: every reply says plainly that it is an offline stand-in;
 * - tests and benchmarks: a request whose last user message contains `[[script:ID]]` follows the script
 *   registered under ID (`POST /__scripts`): reply text, chunking, keep-alives, reasoning, failures.
 * `GET /__requests?script=ID` returns the request bodies a script received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export const OFFLINE_MARK = "[offline stand-in model]";

export interface Script {
  /** Full reply text; split into chunks of `chunkSize` characters (or random 1..8 when "random"). */
  reply?: string;
  chunkSize?: number | "random";
  /** Delay between chunks. */
  delayMs?: number;
  /** Send `: keep-alive` before every chunk. */
  keepAlive?: boolean;
  /** Reasoning text streamed first as `reasoning_content`. */
  reasoning?: string;
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
   * Token counts of the final usage chunk (default: 10 prompt tokens, one completion token per 4 reply
   * characters); `null` sends no usage chunk at all.
   */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role?: string; content?: unknown }>;
}

export interface FakeModel {
  url: string;
  stop(): Promise<void>;
}

const SCRIPT_TAG = /\[\[script:([\w-]+)\]\]/;

export function offlineReply(body: ChatBody): string {
  const last = lastUserText(body);
  return (
    `${OFFLINE_MARK} This answer comes from CIP's local stand-in, not from DeepSeek: ` +
    "no DEEPSEEK_API_KEY is set. Set it and restart `npm run dev` for real answers. " +
    `You wrote: "${last.slice(0, 200)}"`
  );
}

function lastUserText(body: ChatBody): string {
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  return typeof last?.content === "string" ? last.content : "";
}

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeModel(opts: {
  port: number;
  host?: string;
  tokenDelayMs?: number;
}): Promise<FakeModel> {
  const host = opts.host ?? "127.0.0.1";
  const scripts = new Map<string, Script>();
  const requests = new Map<string, ChatBody[]>();
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
      return void res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ object: "list", data: [{ id: "fake-model", object: "model" }] }));
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
    const scriptId = SCRIPT_TAG.exec(lastUserText(body))?.[1];
    if (scriptId) requests.set(scriptId, [...(requests.get(scriptId) ?? []), body]);
    const script: Script = (scriptId && scripts.get(scriptId)) || {
      reply: offlineReply(body),
      chunkSize: "random",
      delayMs: opts.tokenDelayMs ?? 15,
    };
    await stream(res, body, script);
  }

  async function stream(res: ServerResponse, body: ChatBody, script: Script): Promise<void> {
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
    const usage = {
      prompt_tokens: script.usage?.prompt_tokens ?? 10,
      completion_tokens: script.usage?.completion_tokens ?? Math.max(1, Math.ceil(reply.length / 4)),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    if (!body.stream) {
      return void res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id,
          object: "chat.completion",
          model,
          choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
          usage,
        }),
      );
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    const send = (delta: Record<string, string>, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    send({ role: "assistant", content: "" });
    for (const piece of script.reasoning ? chunksOf(script.reasoning, 8) : [])
      send({ reasoning_content: piece });
    let sent = 0;
    for (const piece of chunksOf(reply, script.chunkSize)) {
      if (res.destroyed) return;
      if (script.dropAfterChunks !== undefined && sent >= script.dropAfterChunks) return void res.destroy();
      if (script.stallAfterChunks !== undefined && sent >= script.stallAfterChunks) return; // never ends
      if (script.keepAlive) res.write(": keep-alive\n\n");
      send({ content: piece });
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
