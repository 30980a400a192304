/**
 * `node scripts/heap-snapshot.ts [inspector-ws-url]`: takes a V8 heap snapshot of the Worker isolate that
 * `wrangler dev` runs (its inspector, ws://127.0.0.1:9229/ws by default; the dialog and tenant objects live
 * in the same isolate locally) and prints the heap's total and its largest constructors. Run it during
 * `npm run load` to tell objects CIP's code retains from memory the runtime holds outside the JS heap
 * (docs/load.md, "Memory").
 */
import WebSocket from "ws";

const url = process.argv[2] ?? "ws://127.0.0.1:9229/ws";
// Wrangler's inspector proxy answers DevTools' own origin.
const ws = new WebSocket(url, { headers: { Origin: "https://devtools.devprod.cloudflare.dev" } });
const waiting = new Map<number, (reply: { error?: unknown }) => void>();
const chunks: string[] = [];
let next = 0;

ws.on("message", (data: Buffer) => {
  const msg = JSON.parse(data.toString()) as {
    id?: number;
    method?: string;
    params?: { chunk: string };
    error?: unknown;
  };
  if (msg.method === "HeapProfiler.addHeapSnapshotChunk" && msg.params) chunks.push(msg.params.chunk);
  const done = msg.id === undefined ? undefined : waiting.get(msg.id);
  if (done && msg.id !== undefined) {
    waiting.delete(msg.id);
    done(msg);
  }
});

function send(method: string, params: Record<string, unknown> = {}): Promise<{ error?: unknown }> {
  next += 1;
  const id = next;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

await new Promise<void>((resolve, reject) => {
  ws.once("open", () => resolve());
  ws.once("error", reject);
});
await send("HeapProfiler.enable");
const reply = await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
if (reply.error) throw new Error(JSON.stringify(reply.error));
ws.close();

const snap = JSON.parse(chunks.join("")) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const [iType, iName, iSize] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [
  number,
  number,
  number,
];
const byName = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += fields.length) {
  const name = `${types[snap.nodes[i + iType] ?? 0]}: ${(snap.strings[snap.nodes[i + iName] ?? 0] ?? "").slice(0, 50)}`;
  const size = snap.nodes[i + iSize] ?? 0;
  const entry = byName.get(name) ?? { count: 0, bytes: 0 };
  entry.count += 1;
  entry.bytes += size;
  byName.set(name, entry);
  total += size;
}
console.log(
  `${new Date().toISOString()} JS heap ${(total / 1048576).toFixed(1)} MiB in ${snap.nodes.length / fields.length} objects`,
);
for (const [name, { count, bytes }] of [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15)) {
  console.log(
    `  ${(bytes / 1024).toFixed(0).padStart(6)} KiB ${String(count).padStart(7)}  ${name.replace(/\s+/g, " ")}`,
  );
}
