/**
 * CIP as an MCP client (the official SDK's Client over Streamable HTTP): list a server's tools, call one.
 * Every request goes through `guardedFetch`: the URL is checked again (public https only, unless
 * WEBHOOK_ALLOW_PRIVATE), redirects are never followed by fetch itself (the SDK follows same-origin ones
 * only, each through this same check), the whole exchange has one deadline, and no reply body may pass
 * {@link MCP_REPLY_MAX_BYTES} (counted while it streams, before the SDK parses it). A session is opened per
 * operation (stateless): nothing is kept between turns but the cached tool list.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { webhookUrlProblem } from "../../lib/public-url.ts";
import { redact } from "../../lib/redact.ts";
import { McpRemoteError, remoteFailure } from "./failures.ts";
import { acceptListedTool } from "./listed-tools.ts";
import { resultText } from "./result-text.ts";
import type { McpCallOutcome, McpToolInfo } from "./types.ts";

/** A tool call (and a listing) that has not finished after this long has failed. */
export const MCP_TIMEOUT_MS = 8_000;

/** The most of one HTTP reply body (JSON or SSE) read from a server; a bigger one fails the operation. */
export const MCP_REPLY_MAX_BYTES = 1024 * 1024;

/** Where and how to reach one server; `headers` are its plain secrets, for its own URL only. */
export interface McpEndpoint {
  url: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
}

/**
 * Tool output is never validated against a schema here (it is untrusted text either way), and the SDK's
 * default validator compiles schemas with `new Function`, which Workers refuse: accept as is.
 */
const passThrough: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

/** Null-body statuses: a Response with one of these cannot be given a body. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * `res` with its body cut off by an error past {@link MCP_REPLY_MAX_BYTES}; `tooLarge` hears of it (an SSE
 * stream's error only reaches the SDK's onerror, so the operation is failed from outside as well).
 */
function limitBody(res: Response, tooLarge: (err: McpRemoteError) => void): Response {
  if (!res.body || NO_BODY.has(res.status)) return res;
  let seen = 0;
  const limited = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MCP_REPLY_MAX_BYTES) {
          const err = new McpRemoteError(
            "protocol",
            `The server's reply is larger than ${MCP_REPLY_MAX_BYTES / 1024 / 1024} MiB.`,
          );
          tooLarge(err);
          controller.error(err);
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, res);
}

function guardedFetch(endpoint: McpEndpoint, signal: AbortSignal, tooLarge: (err: McpRemoteError) => void) {
  return async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const target = String(url);
    const problem = webhookUrlProblem(target, endpoint.allowPrivate);
    if (problem) throw new McpRemoteError("refused_url", problem);
    // Secrets go to the server's own origin only (a same-origin redirect keeps it).
    if (new URL(target).origin !== new URL(endpoint.url).origin) {
      throw new McpRemoteError("refused_url", "The server redirected to another address.");
    }
    const res = await fetch(target, { ...init, redirect: "manual", signal });
    return limitBody(res, tooLarge);
  };
}

async function withSession<T>(
  endpoint: McpEndpoint,
  timeoutMs: number,
  work: (client: Client, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const problem = webhookUrlProblem(endpoint.url, endpoint.allowPrivate);
  if (problem) throw new McpRemoteError("refused_url", problem);
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new McpRemoteError("timeout", `No answer within ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
  });
  let tooLarge: (err: McpRemoteError) => void = () => {};
  const oversized = new Promise<never>((_, reject) => {
    tooLarge = (err) => {
      abort.abort();
      reject(err);
    };
  });
  const transport = new StreamableHTTPClientTransport(new URL(endpoint.url), {
    fetch: guardedFetch(endpoint, abort.signal, tooLarge),
    requestInit: { headers: endpoint.headers },
    reconnectionOptions: {
      maxReconnectionDelay: 0,
      initialReconnectionDelay: 0,
      reconnectionDelayGrowFactor: 1,
      maxRetries: 0,
    },
  });
  const client = new Client(
    { name: "cip", version: "1.0.0" },
    { capabilities: {}, jsonSchemaValidator: passThrough },
  );
  const options = { signal: abort.signal, timeout: timeoutMs };
  try {
    return await Promise.race([
      (async () => {
        await client.connect(transport, options);
        return work(client, abort.signal);
      })(),
      deadline,
      oversized,
    ]);
  } finally {
    clearTimeout(timer);
    abort.abort();
    await client.close().catch(() => {});
  }
}

/**
 * The server's tools (every page of the listing, at most 200 kept), only those whose names and schemas
 * pass (listed-tools.ts). Throws McpRemoteError.
 */
export async function listRemoteTools(
  endpoint: McpEndpoint,
  timeoutMs = MCP_TIMEOUT_MS,
): Promise<McpToolInfo[]> {
  try {
    return await withSession(endpoint, timeoutMs, async (client, signal) => {
      const tools: McpToolInfo[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined, { signal, timeout: timeoutMs });
        for (const t of page.tools) {
          const kept = acceptListedTool(t);
          if (kept) tools.push(kept);
        }
        cursor = page.nextCursor;
      } while (cursor && tools.length < 200);
      return tools.slice(0, 200);
    });
  } catch (err) {
    throw err instanceof McpRemoteError ? err : remoteFailure(err);
  }
}

/** Calls one tool; never throws. The text is capped (see result-text.ts). */
export async function callRemoteTool(
  endpoint: McpEndpoint,
  tool: string,
  args: Record<string, unknown>,
  timeoutMs = MCP_TIMEOUT_MS,
): Promise<McpCallOutcome> {
  try {
    const result = await withSession(endpoint, timeoutMs, (client, signal) =>
      client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: timeoutMs }),
    );
    const { text, truncated } = resultText(result as { content?: unknown; structuredContent?: unknown });
    return { ok: true, text, truncated, isError: result.isError === true };
  } catch (err) {
    const failure = err instanceof McpRemoteError ? err : remoteFailure(err);
    return { ok: false, reason: failure.reason, detail: redact(failure.message).slice(0, 300) };
  }
}
