/**
 * The runtime's floors for the benchmark: a Worker that forwards a chat request to the model and pipes
 * the streamed answer straight back (`…/`), the same through one Durable Object hop (`…/do`), which is the
 * least any design that lets an object own the turn can cost, and that hop plus one SQLite row written
 * before the model call (`…/do-write`), the least a design that stores the message first can cost; and
 * that plus reading the answer (`…/do-read`): every chunk decoded, its SSE events parsed and their JSON
 * read, each piece of text sent on as an SSE event of its own, and the answer stored at the end. That is
 * the least a design that must look at the answer (to find command blocks, to keep it) can cost in CPU.
 * `GET /ping` names the Worker (the bench finds the runtime's own socket with it).
 */
import { DurableObject } from "cloudflare:workers";

interface Env {
  MODEL_URL: string;
  RELAY: DurableObjectNamespace<Relay>;
}

const PING_ANSWER = "cip-bench-passthrough";

function forward(env: Env, body: ReadableStream | string | null): Promise<Response> {
  return fetch(`${env.MODEL_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

export class Relay extends DurableObject<Env> {
  /** Opens the model stream from inside the object and hands its body back over RPC. */
  async relay(body: string, write: boolean): Promise<ReadableStream<Uint8Array> | null> {
    if (write) {
      const sql = this.ctx.storage.sql;
      sql.exec("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, content TEXT NOT NULL)");
      sql.exec("INSERT INTO messages (id, content) VALUES (?, ?)", crypto.randomUUID(), body);
    }
    return (await forward(this.env, body)).body;
  }

  /** As `relay` with the row written, but reading the answer on its way and storing it at the end. */
  async read(body: string): Promise<ReadableStream<Uint8Array> | null> {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, content TEXT NOT NULL)");
    sql.exec("INSERT INTO messages (id, content) VALUES (?, ?)", crypto.randomUUID(), body);
    const upstream = (await forward(this.env, body)).body;
    if (!upstream) return null;
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let pending = "";
    let answer = "";
    return upstream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pending += decoder.decode(chunk, { stream: true });
          const events = pending.split("\n\n");
          pending = events.pop() ?? "";
          let out = "";
          for (const event of events) {
            const data = event.split("\n").find((line) => line.startsWith("data: "));
            if (!data || data === "data: [DONE]") continue;
            const parsed = JSON.parse(data.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
            const text = parsed.choices?.[0]?.delta?.content;
            if (!text) continue;
            answer += text;
            out += `event: token\ndata: ${JSON.stringify({ content: text })}\n\n`;
          }
          if (out) controller.enqueue(encoder.encode(out));
        },
        flush: () => {
          sql.exec("INSERT INTO messages (id, content) VALUES (?, ?)", crypto.randomUUID(), answer);
        },
      }),
    );
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const headers = { "content-type": "text/event-stream" };
    const path = new URL(request.url).pathname;
    if (path === "/ping") return new Response(PING_ANSWER);
    if (path.endsWith("/do-read")) {
      const stream = await env.RELAY.getByName("bench").read(await request.text());
      return new Response(stream, { headers });
    }
    if (path.endsWith("/do") || path.endsWith("/do-write")) {
      const stub = env.RELAY.getByName("bench");
      const stream = await stub.relay(await request.text(), path.endsWith("/do-write"));
      return new Response(stream, { headers });
    }
    const upstream = await forward(env, request.body);
    return new Response(upstream.body, { status: upstream.status, headers });
  },
};
