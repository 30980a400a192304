/**
 * Where a Worker's CPU goes, by sampling: V8's CPU profiler through `wrangler dev`'s inspector (the
 * Worker and its Durable Objects share one isolate locally), each sample's function mapped through the
 * bundle's source map to its source file, and the files grouped into the parts of a chat turn. It sees
 * JavaScript only: the runtime's own C++ (HTTP, sockets, SQLite, RPC plumbing) shows as "(program)" or not
 * at all, which is why `npm run bench` reports it next to the process's CPU time from /proc.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SourceMapConsumer } from "source-map-js";
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** The V8 CPU profile (`Profiler.stop`'s `profile`). */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Starts V8's sampling profiler on the isolate behind the inspector at `port`; call the result to stop. */
export async function startProfile(port: number, intervalUs = 200): Promise<() => Promise<CpuProfile>> {
  // Wrangler's inspector proxy answers DevTools' own origin.
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
    headers: { Origin: "https://devtools.devprod.cloudflare.dev" },
  });
  const waiting = new Map<number, (reply: { result?: unknown; error?: unknown }) => void>();
  let next = 0;
  ws.on("message", (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
    const done = msg.id === undefined ? undefined : waiting.get(msg.id);
    if (done && msg.id !== undefined) {
      waiting.delete(msg.id);
      done(msg);
    }
  });
  const send = async (method: string, params: Record<string, unknown> = {}) => {
    next += 1;
    const id = next;
    const reply = await new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
    if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: intervalUs });
  await send("Profiler.start");
  return async () => {
    const result = (await send("Profiler.stop")) as { profile: CpuProfile };
    ws.close();
    return result.profile;
  };
}

/** The newest bundle source map `wrangler dev` wrote under `dir` (its .wrangler/tmp/dev-*). */
export function newestDevSourceMap(dir: string): string | undefined {
  const tmp = join(dir, ".wrangler", "tmp");
  let best: { path: string; at: number } | undefined;
  for (const d of readdirSync(tmp).filter((n) => n.startsWith("dev-"))) {
    const path = join(tmp, d, "index.js.map");
    try {
      const at = statSync(path).mtimeMs;
      if (!best || at > best.at) best = { path, at };
    } catch {
      // a bundle directory without a map
    }
  }
  return best?.path;
}

/** Functions the runtime provides (no source file): streams, RPC stubs, JSON, TextDecoder, ... */
const BUILTINS = "runtime built-ins (streams, RPC, JSON, ...)";

/** The part of a chat turn a source file belongs to (first match wins). */
const PARTS: Array<[string, RegExp]> = [
  [
    "request validation (zod, schemas)",
    /node_modules\/(zod|@hono\/zod-openapi|@asteasolutions)|src\/schemas\//,
  ],
  [
    "routing, middleware, chat guard (hono, src/routes, src/middleware)",
    /node_modules\/hono|src\/(routes|middleware|app|index)\b|src\/services\/(embed|budgets|platform)\//,
  ],
  [
    "prompt assembly and history",
    /src\/chat\/system-prompt|src\/durable-objects\/model-request|src\/chat\/model-settings|src\/prompts\//,
  ],
  [
    "model stream: client, SSE parser, detector, event log",
    /src\/llm\/|src\/chat\/(execute-detector|event-log|turn-runner|sse)|src\/lib\/sse/,
  ],
  [
    "Postgres sync (pg, drizzle, dialog-sync)",
    /node_modules\/(pg|pg-[a-z]+|drizzle-orm|postgres-[a-z]+)\/|src\/db\/|src\/durable-objects\/dialog-sync/,
  ],
  [
    "budget, tenant object, visitor directory",
    /src\/durable-objects\/(budget|usage-ledger|tenant-object|visitor-directory)|src\/chat\/budget/,
  ],
  ["dialog object and its SQLite store", /src\/durable-objects\//],
  ["other CIP code", /src\//],
  ["other libraries", /node_modules\//],
];

/**
 * Sampled time (ms) per part of the turn, plus V8's own entries ("(garbage collector)", "(program)", ...);
 * `builtins`, when given, gets the runtime built-ins' time by function name. Sample intervals are wall
 * time: on a busy machine they stretch, so the shares mean more than the absolute figures.
 */
export function profileBreakdown(
  profile: CpuProfile,
  sourceMapPath: string | undefined,
  builtins?: Map<string, number>,
): Map<string, number> {
  const map = sourceMapPath
    ? new SourceMapConsumer(JSON.parse(readFileSync(sourceMapPath, "utf8")))
    : undefined;
  const partOf = new Map<number, string>();
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    nameOf.set(node.id, url.includes(":") ? `${functionName || "(anonymous)"} (${url})` : functionName);
    let part: string;
    if (!url) part = functionName.startsWith("(") ? functionName : BUILTINS;
    // The runtime's own JavaScript (node-internal:, cloudflare-internal:, cloudflare:sockets) is not the
    // bundle: its positions mean nothing in the bundle's source map (mapping them put Node's timers and the
    // Rate Limiting binding among CIP's own files).
    else if (url.includes(":")) part = BUILTINS;
    else {
      const source =
        map && lineNumber >= 0
          ? (map.originalPositionFor({ line: lineNumber + 1, column: columnNumber }).source ?? url)
          : url;
      part = PARTS.find(([, re]) => re.test(source))?.[0] ?? BUILTINS;
    }
    partOf.set(node.id, part);
  }
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (i === 0) return;
    const part = partOf.get(id) ?? "(unknown)";
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    out.set(part, (out.get(part) ?? 0) + ms);
    if (builtins && part === BUILTINS) {
      const name = nameOf.get(id) || "(anonymous)";
      builtins.set(name, (builtins.get(name) ?? 0) + ms);
    }
  });
  return out;
}
