/**
 * `npm run bench`: what CIP adds on the chat hot path, measured against a local fake model with a fixed
 * token schedule, on loopback. Runs twice: Postgres on loopback, and Postgres behind a proxy that adds
 * 10 ms each way (20 ms RTT). Prints the TTFT table, throughput and CPU per turn against the bare Worker,
 * a sampled CPU breakdown, and PASS/MISS verdicts as ratios to floors measured in the same run
 * (lib/bench-verdicts.ts); writes scripts/capacity/measured.json. See README "Speed".
 *
 * Requests go to the runtime's own socket (the Worker's workerd), not through the dev proxy `wrangler dev`
 * puts in front of it for live reload; two rows measure that proxy for reference. BENCH_STORAGE=tmpfs puts
 * the Durable Objects' SQLite files on /dev/shm (the default, `disk`, keeps them in the system temp dir).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import pg from "pg";
import { ExecuteDetector } from "../src/chat/execute-detector.ts";
import { benchVerdicts, verdictTable } from "./lib/bench-verdicts.ts";
import { newestDevSourceMap, profileBreakdown, startProfile } from "./lib/cpu-profile.ts";
import { startFakeModel } from "./lib/fake-model.ts";
import { timeToFirstMatch } from "./lib/first-match.ts";
import { freePort } from "./lib/free-port.ts";
import { createFreshDatabase } from "./lib/fresh-database.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { startEmbeddedPostgres } from "./lib/pglite-server.ts";
import { cpuSeconds, descendants } from "./lib/process-tree.ts";
import { runtimeProcess } from "./lib/runtime-url.ts";
import { percentile } from "./lib/stats.ts";
import { startDelayProxy } from "./lib/tcp-delay-proxy.ts";
import { snapshotWorker } from "./lib/worker-snapshot.ts";
import { ROOT, spawnWrangler, waitForHttp } from "./lib/wrangler.ts";

const DEMO = "00000000-0000-4000-8000-000000000001";
/** Tenants with caps far above what the bench uses: token caps only, and token caps plus a visitor rate. */
const CAPPED_TOKENS = "00000000-0000-4000-8000-00000000b0d1";
const CAPPED_ALL = "00000000-0000-4000-8000-00000000b0d2";
/** A tenant with the per-address chat limits switched off: what those limits add to a warm turn. */
const NO_IP_LIMITS = "00000000-0000-4000-8000-00000000b0d3";
const TURNS = Number(process.env.BENCH_TURNS ?? 200);
const CONCURRENCY = 40;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Turns (warm dialogs, 10 streams) whose CPU time is read from the runtime process, CIP and bare. */
const CPU_TURNS = Number(process.env.BENCH_CPU_TURNS ?? 300);
const CPU_STREAMS = 10;
/** BENCH_PROFILE=0 skips the sampled CPU breakdown (a pass of CPU_TURNS more turns, loopback only). */
const PROFILE = process.env.BENCH_PROFILE !== "0";
const TAG = "[[script:bench]]";
const STORAGE = process.env.BENCH_STORAGE === "tmpfs" ? "/dev/shm" : tmpdir();
const PING = "cip-bench-passthrough";
const cleanups: Array<() => unknown> = [];

let visitors = 0;
/**
 * A client address for one request (`CF-Connecting-IP`, which local dev passes through): each turn comes
 * from its own visitor, as on a real site, so CIP's per-address limits stay on and are measured without
 * refusing the series. 198.18.0.0/15 is the range set aside for benchmarks; it is only a header here.
 */
function visitorAddress(): string {
  visitors += 1;
  return `198.${18 + ((visitors >> 16) & 1)}.${(visitors >> 8) & 255}.${visitors & 255}`;
}

/** Milliseconds from the request to the first `marker` in the streamed answer, and the whole answer. */
async function ttft(url: string, body: unknown, marker: RegExp): Promise<{ ms: number; text: string }> {
  const { ms, text, status } = await timeToFirstMatch(url, body, marker, {
    "cf-connecting-ip": visitorAddress(),
  });
  if (status < 200 || status > 299) throw new Error(`${url} answered ${status}: ${text}`);
  if (Number.isNaN(ms)) throw new Error(`no first token from ${url}: ${text.slice(0, 300)}`);
  return { ms, text };
}

const MODEL_FIRST = /"content":"[^"]/;
const CIP_FIRST = /event: token/;

async function postgresBase(): Promise<string> {
  const local = "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    const db = await createFreshDatabase(local, `cip_bench_${Date.now()}`);
    cleanups.push(db.drop);
    return db.url;
  } catch {
    const pg = await startEmbeddedPostgres({ port: await freePort() });
    cleanups.push(pg.stop);
    console.error("bench: no Postgres on 127.0.0.1:5432, using embedded PGlite");
    return pg.url;
  }
}

function detectorThroughput(): number {
  const block = "[EXECUTE]\nRAG_SEARCH\nquery=delivery\n[/EXECUTE]";
  let text = "";
  while (text.length < 1_000_000)
    text += `Ответ про доставку и оплату, часть ${text.length}. [note] ${text.length % 3000 < 60 ? block : ""}`;
  const chunks = text.match(/[\s\S]{1,64}/g) ?? [];
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const detector = new ExecuteDetector();
    const t0 = performance.now();
    for (const c of chunks) detector.push(c);
    detector.flush();
    runs.push(Buffer.byteLength(text) / 1e6 / ((performance.now() - t0) / 1000));
  }
  return percentile(runs, 50);
}

/** A small seeded PRNG (mulberry32), so every run shuffles the same way. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A floor Worker: its runtime socket, its public `wrangler dev` URL and the runtime's pid. */
interface Floor {
  direct: string;
  proxied: string;
  pid: number;
}

/** CPU time (user + system, ms) of a runtime process and anything it spawned. */
function processCpuMs(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + (cpuSeconds(p) ?? 0), 0) * 1000;
}

/**
 * CPU ms per turn of the runtime `pid`: its CPU time before and after `turns` turns on `streams`
 * concurrent streams, each after `settle()` (which waits out the turns' background work).
 */
async function cpuPerTurn(
  pid: number,
  turns: number,
  streams: number,
  turn: (stream: number) => Promise<unknown>,
  settle: () => Promise<void>,
): Promise<number> {
  await settle();
  const before = processCpuMs(pid);
  await runTurns(turns, streams, turn);
  await settle();
  return (processCpuMs(pid) - before) / turns;
}

/** Runs `turns` turns in all on `streams` concurrent streams (stream `k` calls `turn(k)`). */
async function runTurns(
  turns: number,
  streams: number,
  turn: (stream: number) => Promise<unknown>,
): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: streams }, async (_, k) => {
      while (started < turns) {
        started += 1;
        await turn(k);
      }
    }),
  );
}

/** Turns per second of `streams` concurrent streams running `turn` for `seconds`. */
async function throughput(
  streams: number,
  seconds: number,
  turn: (stream: number) => Promise<unknown>,
): Promise<number> {
  let completed = 0;
  const deadline = Date.now() + seconds * 1000;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: streams }, async (_, k) => {
      while (Date.now() < deadline) {
        await turn(k);
        completed += 1;
      }
    }),
  );
  return completed / ((Date.now() - startedAt) / 1000);
}

/** Postgres bytes of the tables a chat turn writes (data, indexes, TOAST). */
async function chatTableBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      `select sum(pg_total_relation_size(c))::text as bytes
       from unnest(array['messages', 'dialogs', 'usage_daily', 'leads']::regclass[]) c`,
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

async function startFloor(config: string, name: string, modelUrl: string): Promise<Floor> {
  const port = await freePort();
  const child = spawnWrangler({
    config: `${ROOT}scripts/bench/${config}`,
    port,
    name,
    stdio: "ignore",
    vars: { MODEL_URL: modelUrl },
    persistTo: mkdtempSync(`${STORAGE}/cip-bench-${name}-`),
  });
  cleanups.push(() => child.kill("SIGTERM"));
  const proxied = `http://127.0.0.1:${port}`;
  await waitForHttp(`${proxied}/ping`);
  const runtime = await runtimeProcess(child.pid as number, port, async (base) => {
    const res = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(2000) });
    return (await res.text()) === PING;
  });
  return { direct: runtime.url, proxied, pid: runtime.pid };
}

interface ModeResult {
  mode: string;
  direct: number[];
  directThinking: number[];
  passthrough: number[];
  passthroughAssets: number[];
  relay: number[];
  relayWrite: number[];
  proxiedPassthrough: number[];
  proxiedWarm: number[];
  warm: number[];
  cappedTokens: number[];
  cappedAll: number[];
  noIpLimits: number[];
  fresh: number[];
  turnsPerSecond: number;
  bareTurnsPerSecond: number;
  cpuMsPerTurn: { cip: number; bare: number; readingFloor: number };
  storedBytesPerTurn: number;
  /** Sampled JavaScript self time per warm turn by part of the turn (ms), loopback only. */
  cpuBreakdown?: Map<string, number>;
  /** The runtime built-ins' part of it by function name. */
  cpuBuiltins?: Map<string, number>;
  rtPerWarmTurn: number;
  rtBeforeWarm: number;
  rtBeforeNew: number;
  rtPerTurn: number;
}

async function runMode(
  mode: string,
  delayMs: number,
  pgUrl: string,
  modelUrl: string,
  plain: Floor,
  shaped: Floor,
  cipConfig: string,
  profile: boolean,
): Promise<ModeResult> {
  const proxy = await startDelayProxy({ port: await freePort(), target: new URL(pgUrl), delayMs });
  const port = await freePort();
  const inspectorPort = await freePort();
  const cip = spawnWrangler({
    config: cipConfig,
    inspectorPort,
    port,
    name: `bench-${delayMs}`,
    stdio: process.env.BENCH_DEBUG ? "inherit" : "ignore",
    vars: {
      DEEPSEEK_API_URL: modelUrl,
      DEEPSEEK_API_KEY: "bench",
      JWT_SECRET: randomBytes(32).toString("hex"),
    },
    hyperdrive: { HYPERDRIVE: proxy.url },
    persistTo: mkdtempSync(`${STORAGE}/cip-bench-`),
  });
  const stop = () => {
    cip.kill("SIGTERM");
    return proxy.stop();
  };
  try {
    const proxied = `http://127.0.0.1:${port}`;
    await waitForHttp(`${proxied}/api/v1/health`);
    const runtime = await runtimeProcess(cip.pid as number, port, async (url) => {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      return res.status === 200 && (res.headers.get("content-type") ?? "").includes("json");
    });
    const base = runtime.url;
    const chat = `${base}/api/v1/tenants/${DEMO}/chat`;
    // What CIP sends on visitor turns: thinking off. The thinking row leaves the field out, as a client
    // that does not know about DeepSeek's default would, and waits through the fake's thinking phase.
    const thinkingBody = { model: "bench", stream: true, messages: [{ role: "user", content: `hi ${TAG}` }] };
    const modelBody = { ...thinkingBody, thinking: { type: "disabled" } };
    const send = (dialogId?: string) =>
      ttft(
        chat,
        {
          user_id: `bench-${dialogId ?? "new"}`,
          message: `hi ${TAG}`,
          ...(dialogId ? { dialog_id: dialogId } : { new_dialog: true }),
        },
        CIP_FIRST,
      );
    const dialogOf = (text: string) => /"dialog_id":"([^"]+)"/.exec(text)?.[1] ?? "";

    // Warm-up: the runtimes, the tenant snapshot, and the warm dialogs (one per user id).
    const warmDialogs: string[] = [];
    for (let i = 0; i < 10; i++) {
      const first = await ttft(
        chat,
        { user_id: `bench-w${i}`, message: `hi ${TAG}`, new_dialog: true },
        CIP_FIRST,
      );
      warmDialogs.push(dialogOf(first.text));
    }
    // Warm dialogs of the budgeted tenants, and one warm turn of each of them.
    const budgeted = async (tenantId: string, prefix: string) => {
      const url = `${base}/api/v1/tenants/${tenantId}/chat`;
      const dialogs: string[] = [];
      for (let i = 0; i < 10; i++)
        dialogs.push(
          dialogOf(
            (await ttft(url, { user_id: `${prefix}${i}`, message: `hi ${TAG}`, new_dialog: true }, CIP_FIRST))
              .text,
          ),
        );
      return async (i: number) => {
        const k = i % dialogs.length;
        const body = { user_id: `${prefix}${k}`, message: `hi ${TAG}`, dialog_id: dialogs[k] };
        return (await ttft(url, body, CIP_FIRST)).ms;
      };
    };
    const tokensTurn = await budgeted(CAPPED_TOKENS, "bench-t");
    const allTurn = await budgeted(CAPPED_ALL, "bench-a");
    const openTurn = await budgeted(NO_IP_LIMITS, "bench-o");
    for (let i = 0; i < 20; i++) await ttft(`${modelUrl}/chat/completions`, modelBody, MODEL_FIRST);
    const floorUrls = [
      `${plain.direct}/`,
      `${shaped.direct}/api/pt`,
      `${shaped.direct}/api/pt/do`,
      `${shaped.direct}/api/pt/do-write`,
      `${plain.proxied}/`,
    ];
    for (const url of floorUrls) for (let i = 0; i < 20; i++) await ttft(url, modelBody, MODEL_FIRST);

    const direct: number[] = [];
    const directThinking: number[] = [];
    const passthrough: number[] = [];
    const passthroughAssets: number[] = [];
    const relay: number[] = [];
    const relayWrite: number[] = [];
    const proxiedPassthrough: number[] = [];
    const proxiedWarm: number[] = [];
    const warm: number[] = [];
    const cappedTokens: number[] = [];
    const cappedAll: number[] = [];
    const noIpLimits: number[] = [];
    const fresh: number[] = [];
    const proxiedChat = `${proxied}/api/v1/tenants/${DEMO}/chat`;
    const random = seededRandom(7);
    for (let i = 0; i < TURNS; i++) {
      const d = warmDialogs[i % warmDialogs.length] as string;
      const warmBody = { user_id: `bench-w${i % warmDialogs.length}`, message: `hi ${TAG}`, dialog_id: d };
      const floor = (url: string) => async () => (await ttft(url, modelBody, MODEL_FIRST)).ms;
      const series: Array<[number[], () => Promise<number>]> = [
        [direct, floor(`${modelUrl}/chat/completions`)],
        [
          directThinking,
          async () => (await ttft(`${modelUrl}/chat/completions`, thinkingBody, MODEL_FIRST)).ms,
        ],
        [passthrough, floor(floorUrls[0] as string)],
        [passthroughAssets, floor(floorUrls[1] as string)],
        [relay, floor(floorUrls[2] as string)],
        [relayWrite, floor(floorUrls[3] as string)],
        [proxiedPassthrough, floor(floorUrls[4] as string)],
        [fresh, async () => (await send()).ms],
        [warm, async () => (await ttft(chat, warmBody, CIP_FIRST)).ms],
        [proxiedWarm, async () => (await ttft(proxiedChat, warmBody, CIP_FIRST)).ms],
        [cappedTokens, () => tokensTurn(i)],
        [cappedAll, () => allTurn(i)],
        [noIpLimits, () => openTurn(i)],
      ];
      // A new random order each round: every series follows every other equally often, so none always
      // runs while the previous turn's background work (its Postgres sync) shares the runtime's thread.
      for (const [list, turn] of shuffle(series, random)) list.push(await turn());
    }

    // Round trips: a quiet database before each turn, counted up to the first token and to the end.
    const quiet = async () => {
      for (let last = -1; last !== proxy.roundTrips(); ) {
        last = proxy.roundTrips();
        await new Promise((r) => setTimeout(r, 150 + 4 * delayMs));
      }
    };
    const count = async (dialogIndex?: number) => {
      await quiet();
      const before = proxy.roundTrips();
      const d = dialogIndex === undefined ? undefined : warmDialogs[dialogIndex];
      const body = {
        user_id: `bench-${d ? `w${dialogIndex}` : "new"}`,
        message: `hi ${TAG}`,
        ...(d ? { dialog_id: d } : { new_dialog: true }),
      };
      const res = await fetch(chat, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": visitorAddress() },
        body: JSON.stringify(body),
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = "";
      let atFirst = -1;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        if (atFirst < 0 && CIP_FIRST.test(text)) atFirst = proxy.roundTrips() - before;
      }
      await quiet();
      return { atFirst, total: proxy.roundTrips() - before };
    };
    const warmCounts = [];
    const newCounts = [];
    for (let i = 0; i < 10; i++) warmCounts.push(await count(i));
    for (let i = 0; i < 10; i++) newCounts.push(await count());
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    // CPU per turn: the runtime process's CPU time around a fixed number of warm turns (their syncs
    // and budget reports included: `quiet` waits until the database is idle again), then the bare
    // Worker's runtime around the same number of pass-through turns on as many streams.
    const warmTurn = (k: number) =>
      ttft(
        chat,
        { user_id: `bench-w${k}`, message: `hi ${TAG}`, dialog_id: warmDialogs[k % warmDialogs.length] },
        CIP_FIRST,
      );
    const bytesBefore = await (async () => {
      await quiet();
      return chatTableBytes(pgUrl);
    })();
    const cipCpu = await cpuPerTurn(runtime.pid, CPU_TURNS, CPU_STREAMS, warmTurn, quiet);
    const storedBytesPerTurn = ((await chatTableBytes(pgUrl)) - bytesBefore) / CPU_TURNS;
    // Where CIP's CPU goes: the same warm turns again under V8's sampling profiler (a separate pass, as
    // the profiler's own cost must not reach the figures above).
    let cpuBreakdown: Map<string, number> | undefined;
    let cpuBuiltins: Map<string, number> | undefined;
    if (profile) {
      await quiet();
      const stopProfile = await startProfile(inspectorPort);
      await runTurns(CPU_TURNS, CPU_STREAMS, warmTurn);
      await quiet();
      const builtins = new Map<string, number>();
      const sampled = profileBreakdown(await stopProfile(), newestDevSourceMap(dirname(cipConfig)), builtins);
      cpuBreakdown = new Map([...sampled].map(([part, ms]) => [part, ms / CPU_TURNS]));
      cpuBuiltins = new Map([...builtins].map(([name, ms]) => [name, ms / CPU_TURNS]));
    }
    const bareTurn = () => ttft(`${plain.direct}/`, modelBody, MODEL_FIRST);
    const settle = () => new Promise<void>((r) => setTimeout(r, 300));
    const bareCpu = await cpuPerTurn(plain.pid, CPU_TURNS, CPU_STREAMS, bareTurn, settle);
    // The floor that reads the answer (one object hop, a row first, every chunk parsed and re-sent, the
    // answer stored): what any design that must look at the model's text pays, for comparison.
    const readingTurn = () => ttft(`${shaped.direct}/api/pt/do-read`, modelBody, MODEL_FIRST);
    const readingCpu = await cpuPerTurn(shaped.pid, CPU_TURNS, CPU_STREAMS, readingTurn, settle);

    // Throughput: 40 concurrent streams, each in its own dialog, for a fixed time; then the bare Worker
    // (its runtime is idle meanwhile, so the two share the machine the same way).
    const dialogs: Array<string | undefined> = [];
    const turnsPerSecond = await throughput(CONCURRENCY, THROUGHPUT_SECONDS, async (k) => {
      const dialog = dialogs[k];
      const r = await ttft(
        chat,
        {
          user_id: `bench-c${k}`,
          message: `hi ${TAG}`,
          ...(dialog ? { dialog_id: dialog } : { new_dialog: true }),
        },
        CIP_FIRST,
      );
      dialogs[k] ??= dialogOf(r.text);
    });
    await quiet();
    const bareTurnsPerSecond = await throughput(CONCURRENCY, THROUGHPUT_SECONDS, bareTurn);
    return {
      mode,
      direct,
      directThinking,
      passthrough,
      passthroughAssets,
      relay,
      relayWrite,
      proxiedPassthrough,
      proxiedWarm,
      warm,
      cappedTokens,
      cappedAll,
      noIpLimits,
      fresh,
      turnsPerSecond,
      bareTurnsPerSecond,
      cpuMsPerTurn: { cip: cipCpu, bare: bareCpu, readingFloor: readingCpu },
      storedBytesPerTurn,
      cpuBreakdown,
      cpuBuiltins,
      rtPerWarmTurn: avg(warmCounts.map((c) => c.total)),
      rtBeforeWarm: avg(warmCounts.map((c) => c.atFirst)),
      rtBeforeNew: avg(newCounts.map((c) => c.atFirst)),
      rtPerTurn: avg([...warmCounts, ...newCounts].map((c) => c.total)),
    };
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const pgUrl = await postgresBase();
  await migrateDatabase(pgUrl);
  await addCappedTenants(pgUrl);
  const model = await startFakeModel({ port: await freePort() });
  cleanups.push(model.stop);
  // Fixed schedule: first token at once, then 24 chunks of 4 characters 5 ms apart; a request that does
  // not disable thinking gets the fake's thinking phase (DEFAULT_THINKING_MS of reasoning) first.
  await fetch(`${model.url}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      id: "bench",
      script: { reply: "Это ответ модели для замера. ".repeat(4).slice(0, 96), chunkSize: 4, delayMs: 5 },
    }),
  });
  // One at a time: two `wrangler dev` starting together can race for the same inspector port.
  const plain = await startFloor("passthrough.toml", "pt", model.url);
  const shaped = await startFloor("passthrough-assets.toml", "pt-assets", model.url);

  const detector = detectorThroughput();
  // Bundled from a copy of src/: edits others make meanwhile would restart the runtime mid-run.
  const worker = snapshotWorker();
  cleanups.push(() => rmSync(worker.dir, { recursive: true, force: true }));
  const results = [
    await runMode("Postgres on loopback", 0, pgUrl, model.url, plain, shaped, worker.config, PROFILE),
    await runMode("Postgres 20 ms RTT", 10, pgUrl, model.url, plain, shaped, worker.config, false),
  ];
  const f = (n: number) => n.toFixed(1);
  const storage = STORAGE === "/dev/shm" ? "tmpfs (/dev/shm)" : `disk (${STORAGE})`;
  console.log(
    `\nCIP chat hot path, ${TURNS} turns per series, fake model on loopback, object storage on ${storage} (\`npm run bench\`)\n`,
  );
  console.log("| series | Postgres | TTFT p50 | TTFT p99 | overhead vs model p50 | overhead p99 |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const d50 = percentile(r.direct, 50);
    const d99 = percentile(r.direct, 99);
    const row = (name: string, xs: number[]) =>
      console.log(
        `| ${name} | ${r.mode} | ${f(percentile(xs, 50))} ms | ${f(percentile(xs, 99))} ms | ${f(percentile(xs, 50) - d50)} ms | ${f(percentile(xs, 99) - d99)} ms |`,
      );
    row("model direct", r.direct);
    row("model direct, thinking on (DeepSeek's default)", r.directThinking);
    row("bare pass-through Worker", r.passthrough);
    row("bare Worker, deployed like CIP (static assets)", r.passthroughAssets);
    row("… + one Durable Object hop", r.relay);
    row("… + one object hop + one SQLite row first", r.relayWrite);
    row("CIP, warm dialog", r.warm);
    row("CIP, warm dialog, tenant with token caps", r.cappedTokens);
    row("CIP, warm dialog, token caps + visitor rate", r.cappedAll);
    row("CIP, warm dialog, per-address limits off", r.noIpLimits);
    row("CIP, new dialog", r.fresh);
    row("via wrangler dev's proxy: bare Worker", r.proxiedPassthrough);
    row("via wrangler dev's proxy: CIP, warm dialog", r.proxiedWarm);
  }
  console.log(
    "\n| Postgres | turns/s at 40 streams (CIP / bare Worker) | CPU ms per turn (CIP / bare Worker) | round trips before first token (warm / new) | round trips per turn (all, async) | stored bytes per warm turn |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of results)
    console.log(
      `| ${r.mode} | ${f(r.turnsPerSecond)} / ${f(r.bareTurnsPerSecond)} | ${r.cpuMsPerTurn.cip.toFixed(2)} / ${r.cpuMsPerTurn.bare.toFixed(2)} | ${f(r.rtBeforeWarm)} / ${f(r.rtBeforeNew)} | ${f(r.rtPerTurn)} | ${Math.round(r.storedBytesPerTurn)} |`,
    );
  console.log(`\nEXECUTE detector: ${f(detector)} MB/s on 1 MB in 64-character chunks (target >= 50)`);

  const [local, remote] = results as [ModeResult, ModeResult];
  const samples = (r: ModeResult) => ({
    direct: r.direct,
    floor: r.relayWrite,
    warm: r.warm,
    fresh: r.fresh,
    cappedTokens: r.cappedTokens,
    cappedAll: r.cappedAll,
  });
  const verdicts = benchVerdicts({
    loopback: samples(local),
    remote: samples(remote),
    throughput: {
      loopback: { cip: local.turnsPerSecond, bare: local.bareTurnsPerSecond },
      remote: { cip: remote.turnsPerSecond, bare: remote.bareTurnsPerSecond },
    },
    detectorMBps: detector,
    cpuMsPerTurn: { cip: local.cpuMsPerTurn.cip, bare: local.cpuMsPerTurn.bare },
  });
  console.log(`\nVerdicts (${new Date().toISOString().slice(0, 10)}, \`${COMMAND}\`)\n`);
  for (const line of verdictTable(verdicts)) console.log(line);
  for (const r of results) {
    const p = (xs: number[]) => percentile(xs, 50);
    console.log(
      `info  ${r.mode}: CIP warm over the bare Worker without static assets, p50: ${f(p(r.warm) - p(r.passthrough))} ms; over the Worker + one object + one SQLite row floor: ${f(p(r.warm) - p(r.relayWrite))} ms; new dialog over that floor: ${f(p(r.fresh) - p(r.relayWrite))} ms`,
    );
    const extra = (xs: number[]) => f(percentile(xs, 50) - percentile(r.warm, 50));
    console.log(
      `info  ${r.mode}: a budget check (one tenant-object call) adds to the warm turn, p50: token caps ${extra(r.cappedTokens)} ms, with visitor rate ${extra(r.cappedAll)} ms`,
    );
    console.log(
      `info  ${r.mode}: the per-address chat limits (Rate Limiting binding) add to the warm turn, p50: ${f(percentile(r.warm, 50) - percentile(r.noIpLimits, 50))} ms (target < 1 ms)`,
    );
    console.log(
      `info  ${r.mode}: CPU per turn ${r.cpuMsPerTurn.cip.toFixed(2)} ms CIP (warm, syncs included) vs ${r.cpuMsPerTurn.bare.toFixed(2)} ms bare Worker: ${(r.cpuMsPerTurn.cip / r.cpuMsPerTurn.bare).toFixed(2)}x`,
    );
    console.log(
      `info  ${r.mode}: CPU per turn of the floor that reads the answer (object hop, row first, every chunk parsed and re-sent, answer stored): ${r.cpuMsPerTurn.readingFloor.toFixed(2)} ms, ${(r.cpuMsPerTurn.readingFloor / r.cpuMsPerTurn.bare).toFixed(2)}x the bare Worker; CIP is ${(r.cpuMsPerTurn.cip / r.cpuMsPerTurn.readingFloor).toFixed(2)}x that floor`,
    );
  }
  if (local.cpuBreakdown) {
    const parts = [...local.cpuBreakdown].filter(([part]) => part !== "(idle)").sort((a, b) => b[1] - a[1]);
    const sampled = parts.reduce((sum, [, ms]) => sum + ms, 0);
    const cpu = local.cpuMsPerTurn.cip;
    console.log(
      `\nCIP warm turn, where the CPU goes (loopback; V8 sampling profiler over ${CPU_TURNS} more warm turns, self time by source file through the bundle's source map; samples are wall-time intervals, so the shares are scaled to the ${cpu.toFixed(2)} ms of process CPU per turn measured above; "(program)" is the runtime's own C++: HTTP, sockets, SQLite, RPC)\n`,
    );
    console.log("| part of the turn | share of samples | ≈ CPU ms per turn |");
    console.log("| --- | --- | --- |");
    for (const [part, ms] of parts)
      console.log(
        `| ${part} | ${((100 * ms) / sampled).toFixed(1)}% | ${((cpu * ms) / sampled).toFixed(2)} |`,
      );
    const top = [...(local.cpuBuiltins ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      `\nruntime built-ins, largest: ${top.map(([name, ms]) => `${name} ${((100 * ms) / sampled).toFixed(1)}%`).join(", ")}`,
    );
  }
  writeMeasured(local, detector);
}

const COMMAND = `${[
  ["BENCH_TURNS", process.env.BENCH_TURNS],
  ["BENCH_SECONDS", process.env.BENCH_SECONDS],
  ["BENCH_CPU_TURNS", process.env.BENCH_CPU_TURNS],
  ["BENCH_STORAGE", process.env.BENCH_STORAGE],
]
  .filter(([, v]) => v !== undefined)
  .map(([k, v]) => `${k}=${v} `)
  .join("")}npm run bench`;

/**
 * The measured figures for `npm run capacity` (scripts/capacity/measured.json), from the loopback run.
 * Per warm turn, Durable Object requests: the dialog object's turn, the tenant object's epoch check, the
 * visitor directory's record, and the budget's two reports to the tenant object (pending usage, committed
 * usage; every tenant has the platform's daily cap); the budget's admission call is leased (once per
 * 30 s per dialog) and the Worker's settings read cached (10 s), so they round to nothing.
 */
function writeMeasured(r: ModeResult, detector: number): void {
  const breakdownMs = (m: ModeResult) => {
    if (!m.cpuBreakdown) return undefined;
    const parts = [...m.cpuBreakdown].filter(([part]) => part !== "(idle)");
    const sampled = parts.reduce((sum, [, ms]) => sum + ms, 0);
    return Object.fromEntries(parts.map(([part, ms]) => [part, round((m.cpuMsPerTurn.cip * ms) / sampled)]));
  };
  const dir = `${ROOT}scripts/capacity`;
  mkdirSync(dir, { recursive: true });
  const d50 = (xs: number[]) => percentile(xs, 50) - percentile(r.direct, 50);
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  const measured = {
    measured_at: new Date().toISOString().slice(0, 10),
    command: COMMAND,
    cpu_ms_per_turn: {
      cip: round(r.cpuMsPerTurn.cip),
      bare: round(r.cpuMsPerTurn.bare),
      reading_floor: round(r.cpuMsPerTurn.readingFloor),
    },
    ttft_overhead_ms_p50: {
      warm: round(d50(r.warm)),
      new: round(d50(r.fresh)),
      floor: round(d50(r.relayWrite)),
    },
    turns_per_second_40_streams: { cip: round(r.turnsPerSecond, 1), bare: round(r.bareTurnsPerSecond, 1) },
    pg_round_trips_per_turn: round(r.rtPerWarmTurn, 1),
    worker_requests_per_turn: 1,
    do_requests_per_turn: 5,
    stored_bytes_per_turn: Math.round(r.storedBytesPerTurn),
    postgres: r.mode,
    cpu_turns_measured: CPU_TURNS,
    detector_mb_per_s: round(detector, 1),
    cpu_breakdown_ms_per_turn: breakdownMs(r),
    notes:
      "cpu: utime+stime of the runtime's workerd (/proc/<pid>/stat, 10 ms ticks) around CPU_TURNS warm turns on 10 streams, syncs and budget reports included; stored bytes: pg_total_relation_size of messages, dialogs, usage_daily, leads around the same turns (page-granular); pg round trips: counted by the TCP proxy, warm turns, both syncs.",
  };
  writeFileSync(`${dir}/measured.json`, `${JSON.stringify(measured, null, 2)}\n`);
  console.log(`\nwrote scripts/capacity/measured.json`);
}

/** The budgeted tenants: caps the bench never reaches, so every turn pays the check and runs. */
async function addCappedTenants(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tokens = { dailyTokens: 10_000_000_000, monthlyTokens: 100_000_000_000 };
    const insert = "insert into tenants (id, slug, name, settings) values ($1, $2, $3, $4::jsonb)";
    await client.query(insert, [CAPPED_TOKENS, "bench-tokens", "Bench (token caps)", { budget: tokens }]);
    const all = { ...tokens, visitorMessagesPerHour: 10_000 };
    await client.query(insert, [CAPPED_ALL, "bench-all", "Bench (all caps)", { budget: all }]);
    const open = { ipMessagesPerMinute: 0, ipNewDialogsPerMinute: 0 };
    await client.query(insert, [NO_IP_LIMITS, "bench-open", "Bench (no address limits)", { budget: open }]);
  } finally {
    await client.end();
  }
}

try {
  await main();
} finally {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
}
process.exit(0);
