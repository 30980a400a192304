/**
 * `node scripts/memory-floor.ts`: how the runtime's own memory behaves under load, with no CIP code and no
 * dev tooling. Runs the bench's bare pass-through Worker (scripts/bench/passthrough-worker.ts) under plain
 * Miniflare (one workerd, no `wrangler dev` proxy, no inspector attached), drives it with autocannon
 * (20 connections, `MEMORY_ROUNDS` rounds of 30 s; the upstream is refused, so each request is one failed
 * subrequest and a 500) and prints the workerd process's RSS after each round. See docs/load.md "Memory".
 */
import { readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import autocannon from "autocannon";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { findDescendants, rssMiB } from "./lib/process-tree.ts";

const ROUNDS = Number(process.env.MEMORY_ROUNDS ?? 6);
const source = readFileSync(new URL("./bench/passthrough-worker.ts", import.meta.url), "utf8");

const mf = new Miniflare(
  convertV4MiniflareOptions({
    port: 0,
    modules: true,
    script: stripTypeScriptTypes(source),
    compatibilityDate: "2026-11-01",
    bindings: { MODEL_URL: "http://127.0.0.1:1" },
    durableObjects: { RELAY: { className: "Relay", useSQLite: true } },
  }),
);
try {
  const url = await mf.ready;
  const pids = findDescendants(process.pid, "workerd");
  const rss = () => pids.map((pid) => Math.round(rssMiB(pid) ?? 0)).join(" + ");
  console.log(
    `| round | requests | workerd RSS after (MiB) |\n| --- | --- | --- |\n| start | 0 | ${rss()} |`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    const result = await autocannon({ url: `${url.origin}/x`, connections: 20, duration: 30 });
    console.log(`| ${round} | ${result.requests.total} | ${rss()} |`);
  }
} finally {
  await mf.dispose();
}
