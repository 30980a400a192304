/**
 * The runtime's floor for the benchmark: a Worker that forwards a chat request to the model and pipes
 * the streamed answer straight back, doing nothing else.
 */
interface Env {
  MODEL_URL: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const upstream = await fetch(`${env.MODEL_URL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request.body,
    });
    return new Response(upstream.body, {
      status: upstream.status,
      headers: { "content-type": "text/event-stream" },
    });
  },
};
