/**
 * The runtime's floors for the benchmark: a Worker that forwards a chat request to the model and pipes
 * the streamed answer straight back (`/`), and the same through one Durable Object hop (`/do`), which is
 * the least any design that lets an object own the turn can cost.
 */
import { DurableObject } from "cloudflare:workers";

interface Env {
  MODEL_URL: string;
  RELAY: DurableObjectNamespace<Relay>;
}

function forward(env: Env, body: ReadableStream | string | null): Promise<Response> {
  return fetch(`${env.MODEL_URL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

export class Relay extends DurableObject<Env> {
  /** Opens the model stream from inside the object and hands its body back over RPC. */
  async relay(body: string): Promise<ReadableStream<Uint8Array> | null> {
    return (await forward(this.env, body)).body;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const headers = { "content-type": "text/event-stream" };
    if (new URL(request.url).pathname === "/do") {
      const stream = await env.RELAY.getByName("bench").relay(await request.text());
      return new Response(stream, { headers });
    }
    const upstream = await forward(env, request.body);
    return new Response(upstream.body, { status: upstream.status, headers });
  },
};
