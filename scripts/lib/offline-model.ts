/**
 * A local stand-in for an OpenAI-compatible chat model, for `npm run dev` without DEEPSEEK_API_KEY.
 * It speaks the real wire protocol (`POST /chat/completions`, SSE with `data: [DONE]`, a final usage
 * chunk) and its reply says plainly that it is offline, so nobody mistakes it for the real model.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export const OFFLINE_MARK = "[offline stand-in model]";

export interface OfflineModel {
  url: string;
  stop(): Promise<void>;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role?: string; content?: unknown }>;
}

/** The reply the stand-in gives to the last user message. */
export function offlineReply(request: ChatRequest): string {
  const last = [...(request.messages ?? [])].reverse().find((m) => m.role === "user");
  const text = typeof last?.content === "string" ? last.content.slice(0, 200) : "";
  return (
    `${OFFLINE_MARK} This answer comes from CIP's local stand-in, not from DeepSeek: ` +
    `no DEEPSEEK_API_KEY is set. Set it and restart \`npm run dev\` for real answers. ` +
    `You wrote: "${text}"`
  );
}

export async function startOfflineModel(opts: { port: number; host?: string; tokenDelayMs?: number }) {
  const host = opts.host ?? "127.0.0.1";
  const delay = opts.tokenDelayMs ?? 15;
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method === "GET" && path.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "offline-stand-in", object: "model" }] }));
      return;
    }
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
      return;
    }
    let body: ChatRequest;
    try {
      body = JSON.parse(await readBody(req)) as ChatRequest;
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "invalid JSON", type: "invalid_request_error" } }));
      return;
    }
    const reply = offlineReply(body);
    const id = `chatcmpl-offline-${Date.now()}`;
    const model = body.model ?? "offline-stand-in";
    const usage = { prompt_tokens: 0, completion_tokens: reply.split(/\s+/).length, total_tokens: 0 };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          model,
          choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, string>, finish: string | null = null) =>
      send({
        id,
        object: "chat.completion.chunk",
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    chunk({ role: "assistant", content: "" });
    for (const piece of reply.match(/\S+\s*/g) ?? []) {
      if (res.destroyed) return;
      chunk({ content: piece });
      await new Promise((r) => setTimeout(r, delay));
    }
    chunk({}, "stop");
    send({ id, object: "chat.completion.chunk", model, choices: [], usage });
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  return {
    url: `http://${host}:${opts.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies OfflineModel;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
