/**
 * The runtime's floors for the benchmark: a Worker that forwards a chat request to the model and pipes
 * the streamed answer straight back (`…/`), the same through one Durable Object hop (`…/do`), which is the
 * least any design that lets an object own the turn can cost, and that hop plus one SQLite row written
 * before the model call (`…/do-write`), the least a design that stores the message first can cost.
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
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const headers = { "content-type": "text/event-stream" };
    const path = new URL(request.url).pathname;
    if (path === "/ping") return new Response(PING_ANSWER);
    if (path.endsWith("/do") || path.endsWith("/do-write")) {
      const stub = env.RELAY.getByName("bench");
      const stream = await stub.relay(await request.text(), path.endsWith("/do-write"));
      return new Response(stream, { headers });
    }
    const upstream = await forward(env, request.body);
    return new Response(upstream.body, { status: upstream.status, headers });
  },
};
