/**
 * `npm run load`: CIP under sustained chat load, against `npm run dev` with its offline fake model, on
 * loopback only. LOAD_STREAMS (200) concurrent SSE chats spread over LOAD_DIALOGS (50) dialogs of one
 * tenant for LOAD_SECONDS (60), each stream sending its next message as soon as the last answer ends, plus
 * cabinet reads by the owner (autocannon, LOAD_CABINET_CONNECTIONS at LOAD_CABINET_RATE requests/s).
 * Reports throughput, TTFT and its overhead over the model's own TTFT (p50/p99), errors, messages stored
 * vs sent (Postgres and the cabinet API), and the workerd processes' memory (start, end, trend) and CPU.
 * Writes the results into docs/load.md. Stops everything it started, also on failure or Ctrl-C.
 *
 * Database: by default a fresh in-memory PGlite (the embedded Postgres `npm run dev` uses, in a process of
 * its own so the developer's .dev-data is untouched); LOAD_DATABASE_URL=postgres://…/postgres runs against
 * a real server instead (a fresh database is created on it and dropped afterwards).
 * `npm run dev` runs in a frozen copy of the work tree (LOAD_IN_PLACE=1: in the tree itself), because
 * wrangler reloads the Worker, dropping its Durable Objects, whenever someone edits a file.
 *
 * `npm run load -- --profile day`: a day of many tenants' traffic scaled down to minutes instead
 * (scripts/lib/load-day.ts, docs/load.md "Day profile"); it exits non-zero on any error or lost message.
 */

import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { api, apiOk, CLIENT_IP, createOwner, mailDevText, type Owner } from "./lib/api-accounts.ts";
import { chatTurn, type TurnRecord } from "./lib/chat-client.ts";
import { type Cleanup, cleanupOnExit } from "./lib/cleanups.ts";
import { type DevStack, startDevStack } from "./lib/dev-stack.ts";
import { machineNote, table, writeResults } from "./lib/doc-results.ts";
import { timeToFirstMatch } from "./lib/first-match.ts";
import { type CpuUse, cpuMeter, cpuText } from "./lib/load-cpu.ts";
import { runDayProfile } from "./lib/load-day.ts";
import { rssMiB } from "./lib/process-tree.ts";
import { startScriptDatabase } from "./lib/script-database.ts";
import { percentile, slope } from "./lib/stats.ts";

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SECONDS = env("LOAD_SECONDS", 60);
const STREAMS = Math.round(env("LOAD_STREAMS", 200));
const DIALOGS = Math.round(env("LOAD_DIALOGS", 50));
const CABINET_CONNECTIONS = Math.round(env("LOAD_CABINET_CONNECTIONS", 4));
const CABINET_RATE = env("LOAD_CABINET_RATE", 20);
const CHUNK_DELAY_MS = env("LOAD_CHUNK_DELAY_MS", 20);
/** A hard cap on chat turns, whatever the time: the run is bounded in count as well. */
const MAX_TURNS = Math.round(env("LOAD_MAX_TURNS", 50_000));
const SAMPLE_EVERY_MS = 2000;
const PROBE_EVERY_MS = 250;
/** The dialog object refuses a 10th waiting turn (8 queued + the running one): stay well under it. */
const MAX_STREAMS_PER_DIALOG = 4;
const SCRIPT_ID = "load";
const TAG = `[[script:${SCRIPT_ID}]]`;
/** Fixed token schedule: 24 chunks of 4 characters, LOAD_CHUNK_DELAY_MS apart. */
const REPLY = "Это ответ модели для нагрузки. ".repeat(4).slice(0, 96);
const DOC = fileURLToPath(new URL("../docs/load.md", import.meta.url));
const LOG = join(tmpdir(), "cip-load-dev.log");

const cleanups: Cleanup[] = [];
const say = (msg: string) => console.log(`[load] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  t: number;
  /** All workerd processes, summed. */
  rss: number;
  /** Each workerd process, oldest first. */
  parts: number[];
}

/** RSS of the stack's workerd processes, summed (wrangler's proxy and the Worker; NaN when none). */
function workerdRss(stack: DevStack): number {
  const pids = stack.workerdPids();
  return pids.length ? pids.reduce((sum, pid) => sum + (rssMiB(pid) ?? 0), 0) : Number.NaN;
}

/** Each workerd's RSS now, for the report. */
function workerdEach(stack: DevStack): string {
  return stack
    .workerdPids()
    .map((pid) => `pid ${pid}: ${f1(rssMiB(pid) ?? Number.NaN)} MiB`)
    .join(", ");
}

interface Database {
  /** What the app gets as DATABASE_URL. */
  url: string;
  label: string;
  /** Which results block of docs/load.md this run refreshes. */
  key: "pglite" | "postgres";
}

/** LOAD_DATABASE_URL: a fresh database on that server (which must answer); else PGlite in memory. */
async function startDatabase(): Promise<Database> {
  const server = process.env.LOAD_DATABASE_URL;
  const db = await startScriptDatabase({
    mode: server ? "postgres" : "pglite",
    server,
    prefix: "cip_load",
    cleanups,
  });
  return { url: db.url, label: db.label, key: db.kind };
}

/**
 * Milliseconds from request to the model's first content chunk, asked directly (no CIP in between), with
 * thinking off as CIP's visitor turns send it (the fake, like DeepSeek, thinks otherwise).
 */
async function modelTtft(modelUrl: string): Promise<number> {
  const body = {
    model: "load",
    stream: true,
    thinking: { type: "disabled" },
    messages: [{ role: "user", content: `hi ${TAG}` }],
  };
  return (await timeToFirstMatch(`${modelUrl}/chat/completions`, body, /"content":"[^"]/)).ms;
}

async function registerScript(modelUrl: string): Promise<void> {
  const res = await fetch(`${modelUrl}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: SCRIPT_ID, script: { reply: REPLY, chunkSize: 4, delayMs: CHUNK_DELAY_MS } }),
  });
  if (!res.ok) throw new Error(`registering the model script: ${res.status}`);
}

/** Opens the LOAD_DIALOGS dialogs (one turn each, ten at a time); returns their ids, in order. */
async function openDialogs(chatUrl: string, setup: TurnRecord[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < DIALOGS; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, DIALOGS - i) }, (_, k) =>
        chatTurn(chatUrl, {
          user_id: `load-visitor-${i + k}`,
          message: `Здравствуйте ${TAG}`,
          new_dialog: true,
        }),
      ),
    );
    for (const turn of batch) {
      if (turn.end !== "done" || !turn.dialogId) throw new Error(`opening a dialog: ${JSON.stringify(turn)}`);
      setup.push(turn);
      ids.push(turn.dialogId);
    }
  }
  return ids;
}

interface LoadRun {
  turns: Array<TurnRecord & { dialog: number }>;
  samples: Sample[];
  model: number[];
  cabinet: autocannon.Result;
  startedAt: number;
  endedAt: number;
  loopDelayP99: number;
  /** Worker reloads by wrangler during the run (each one restarts the Durable Objects). */
  reloads: number;
  cpu: CpuUse;
}

/** One stream: sends to its dialog, reads the answer to its end, sends again, until the deadline. */
async function stream(
  chatUrl: string,
  dialogIds: string[],
  k: number,
  deadline: number,
  turns: LoadRun["turns"],
): Promise<void> {
  const dialog = k % dialogIds.length;
  for (let n = 0; Date.now() < deadline && turns.length < MAX_TURNS; n++) {
    const turn = await chatTurn(
      chatUrl,
      { user_id: `load-visitor-${dialog}`, message: `Вопрос ${k}.${n} ${TAG}`, dialog_id: dialogIds[dialog] },
      { timeoutMs: 60_000 },
    );
    turns.push({ ...turn, dialog });
    if (turn.end !== "done") await sleep(500); // back off after a failure, as a client would
  }
}

function cabinetReads(stack: DevStack, owner: Owner, dialogIds: string[]): Promise<autocannon.Result> {
  const prefix = `/api/v1/tenants/${owner.tenantId}`;
  const headers = { authorization: `Bearer ${owner.token}`, "cf-connecting-ip": CLIENT_IP };
  const paths = [
    "/me/dialogs?limit=20",
    `/me/dialogs/${dialogIds[0]}?limit=50`,
    "/me/leads",
    "/me/prompt/chunks",
    `/me/dialogs/${dialogIds[1 % dialogIds.length]}?limit=50`,
    "/me/profile",
  ];
  return autocannon({
    url: stack.baseUrl,
    connections: CABINET_CONNECTIONS,
    overallRate: CABINET_RATE,
    duration: SECONDS,
    requests: paths.map((p) => ({ method: "GET", path: `${prefix}${p}`, headers })),
  });
}

async function runLoad(stack: DevStack, owner: Owner, dialogIds: string[]): Promise<LoadRun> {
  const chatUrl = `${stack.baseUrl}/api/v1/tenants/${owner.tenantId}/chat`;
  const turns: LoadRun["turns"] = [];
  const samples: Sample[] = [];
  const model: number[] = [];
  const startedAt = Date.now();
  const reloadsBefore = stack.reloads();
  const cpu = cpuMeter(stack);
  const deadline = startedAt + SECONDS * 1000;
  const sample = () =>
    samples.push({
      t: (Date.now() - startedAt) / 1000,
      rss: workerdRss(stack),
      parts: stack.workerdPids().map((pid) => rssMiB(pid) ?? Number.NaN),
    });
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const probe = (async () => {
    while (Date.now() < deadline) {
      const ms = await modelTtft(stack.modelUrl).catch(() => Number.NaN);
      if (Number.isFinite(ms)) model.push(ms);
      await sleep(PROBE_EVERY_MS);
    }
  })();
  try {
    const [cabinet] = await Promise.all([
      cabinetReads(stack, owner, dialogIds),
      probe,
      ...Array.from({ length: STREAMS }, (_, k) => stream(chatUrl, dialogIds, k, deadline, turns)),
    ]);
    return {
      turns,
      samples,
      model,
      cabinet,
      startedAt,
      endedAt: Date.now(),
      loopDelayP99: loop.percentile(99) / 1e6,
      reloads: stack.reloads() - reloadsBefore,
      cpu: cpu(),
    };
  } finally {
    clearInterval(sampler);
    loop.disable();
    sample();
  }
}

/**
 * TTFT of a turn counted from when its dialog was free: a turn queued behind others of the same dialog
 * starts when the previous one's `done` arrived (turns run one at a time per dialog), so that wait is the
 * dialog's queue, not CIP's overhead. Raw TTFT (from the request) is reported too.
 */
function turnStartTtft(turns: LoadRun["turns"]): number[] {
  const doneAt = new Map<number, number[]>();
  for (const t of turns) {
    const at = t.events.find((e) => e.event === "done")?.at;
    if (at !== undefined) doneAt.set(t.dialog, [...(doneAt.get(t.dialog) ?? []), at]);
  }
  return turns
    .filter((t) => t.firstTokenAt !== undefined)
    .map((t) => {
      const first = t.firstTokenAt as number;
      const previous = (doneAt.get(t.dialog) ?? [])
        .filter((at) => at < first)
        .reduce((a, b) => Math.max(a, b), 0);
      return first - Math.max(t.startedAt, previous);
    });
}

interface Stored {
  user: number;
  assistant: number;
  assistantComplete: number;
  cabinetCount: number;
  waitedMs: number;
}

async function countStored(
  databaseUrl: string,
  tenantId: string,
): Promise<Omit<Stored, "cabinetCount" | "waitedMs">> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; status: string; n: string }>(
      "select role, status, count(*) as n from messages where tenant_id = $1 group by role, status",
      [tenantId],
    );
    const n = (f: (r: { role: string; status: string }) => boolean) =>
      rows.filter(f).reduce((s, r) => s + Number(r.n), 0);
    return {
      user: n((r) => r.role === "user"),
      assistant: n((r) => r.role === "assistant"),
      assistantComplete: n((r) => r.role === "assistant" && r.status === "complete"),
    };
  } finally {
    await client.end();
  }
}

/** Sum of message_count over every dialog the cabinet lists (paged). */
async function cabinetMessageCount(stack: DevStack, owner: Owner): Promise<number> {
  let total = 0;
  let cursor: string | null | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = (await apiOk(stack.baseUrl, `/tenants/${owner.tenantId}/me/dialogs?${query}`, {
      token: owner.token,
    })) as { items: Array<{ message_count: number }>; next_cursor?: string | null };
    total += page.items.reduce((s, d) => s + d.message_count, 0);
    cursor = page.next_cursor;
  } while (cursor);
  return total;
}

/** Waits (up to 60 s) until Postgres holds both messages (any status) of every accepted turn. */
async function waitForStored(
  databaseUrl: string,
  stack: DevStack,
  owner: Owner,
  sent: number,
): Promise<Stored> {
  const started = Date.now();
  let counts = await countStored(databaseUrl, owner.tenantId);
  while ((counts.user < sent || counts.assistant < sent) && Date.now() - started < 60_000) {
    await sleep(1000);
    counts = await countStored(databaseUrl, owner.tenantId);
  }
  const waitedMs = Date.now() - started;
  return { ...counts, cabinetCount: await cabinetMessageCount(stack, owner), waitedMs };
}

function describeErrors(turns: TurnRecord[]): string {
  const kinds = new Map<string, number>();
  for (const t of turns) {
    if (t.end === "done") continue;
    const code =
      (t.error as { code?: string; error?: { code?: string } } | undefined)?.code ??
      (t.error as { error?: { code?: string } } | undefined)?.error?.code;
    const key = `${t.end}${t.status && t.status !== 200 ? ` ${t.status}` : ""}${code ? ` ${code}` : ""}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${n}× ${k}`).join(", ") || "none";
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");

function report(
  run: LoadRun,
  setup: TurnRecord[],
  stored: Stored,
  database: Database,
  rss: { idle: number; settled: number; each: string },
): string {
  const seconds = (run.endedAt - run.startedAt) / 1000;
  const done = run.turns.filter((t) => t.end === "done");
  const failed = run.turns.length - done.length;
  const accepted = [...setup, ...run.turns].filter((t) => t.status === 200).length;
  const raw = run.turns
    .filter((t) => t.firstTokenAt !== undefined)
    .map((t) => (t.firstTokenAt as number) - t.startedAt);
  const fromStart = turnStartTtft(run.turns);
  const m50 = percentile(run.model, 50);
  const m99 = percentile(run.model, 99);
  const lastT = run.samples[run.samples.length - 1]?.t ?? 0;
  const tail = run.samples.filter((s) => s.t >= lastT / 3).map((s) => ({ x: s.t / 60, y: s.rss }));
  const rssStart = run.samples[0]?.rss ?? Number.NaN;
  const rssEnd = run.samples[run.samples.length - 1]?.rss ?? Number.NaN;
  const c = run.cabinet;
  const cabinetTotal = c["2xx"] + c.non2xx;
  const errors = failed + c.non2xx + c.errors;
  const command =
    `LOAD_SECONDS=${SECONDS} LOAD_STREAMS=${STREAMS} LOAD_DIALOGS=${DIALOGS} ` +
    `LOAD_CABINET_CONNECTIONS=${CABINET_CONNECTIONS} LOAD_CABINET_RATE=${CABINET_RATE} ` +
    `LOAD_CHUNK_DELAY_MS=${CHUNK_DELAY_MS}${process.env.LOAD_DATABASE_URL ? " LOAD_DATABASE_URL=…" : ""} npm run load`;
  const rows: string[][] = [
    ["chat turns completed", `${done.length} in ${f1(seconds)} s = **${f1(done.length / seconds)} turns/s**`],
    [
      "tokens streamed",
      `${done.reduce((s, t) => s + t.tokens, 0)} = ${f1(done.reduce((s, t) => s + t.tokens, 0) / seconds)} token events/s`,
    ],
    [
      "model TTFT, asked directly (probe during the run)",
      `p50 ${f1(m50)} ms, p99 ${f1(m99)} ms (${run.model.length} probes)`,
    ],
    [
      "CIP TTFT from the request (includes waiting behind the dialog's earlier turns)",
      `p50 ${f1(percentile(raw, 50))} ms, p99 ${f1(percentile(raw, 99))} ms`,
    ],
    [
      "CIP TTFT from when the dialog was free",
      `p50 ${f1(percentile(fromStart, 50))} ms, p99 ${f1(percentile(fromStart, 99))} ms`,
    ],
    [
      "**TTFT overhead** (previous row minus the model's)",
      `**p50 ${f1(percentile(fromStart, 50) - m50)} ms, p99 ${f1(percentile(fromStart, 99) - m99)} ms**`,
    ],
    [
      "whole turn (request to `done`)",
      `p50 ${f1(
        percentile(
          done.map((t) => t.endedAt - t.startedAt),
          50,
        ),
      )} ms, p99 ${f1(
        percentile(
          done.map((t) => t.endedAt - t.startedAt),
          99,
        ),
      )} ms`,
    ],
    [
      "cabinet reads (autocannon)",
      `${cabinetTotal} = ${f1(cabinetTotal / SECONDS)} req/s, latency p50 ${c.latency.p50} ms, p99 ${c.latency.p99} ms`,
    ],
    [
      "**errors**",
      `**${errors}** (chat: ${describeErrors(run.turns)}; cabinet: ${c.non2xx} non-2xx, ${c.errors} connection errors)`,
    ],
    [
      "**messages sent vs stored**",
      `**sent ${accepted} user messages (${setup.length} opening + ${run.turns.filter((t) => t.status === 200).length} under load); stored ${stored.user} user + ${stored.assistant} assistant (${stored.assistantComplete} complete)** in Postgres after ${f1(stored.waitedMs / 1000)} s; cabinet message_count total ${stored.cabinetCount} (expected ${2 * accepted})`,
    ],
    [
      "workerd RSS (wrangler runs two workerd processes, its proxy and the Worker; summed)",
      `idle (before any chat) ${f1(rss.idle)} MiB; **load start ${f1(rssStart)} MiB, end ${f1(rssEnd)} MiB**, max ${f1(Math.max(...run.samples.map((s) => s.rss)))} MiB; after the sync wait ${f1(rss.settled)} MiB (${rss.each})`,
    ],
    [
      "workerd RSS trend (least squares, last 2/3 of the run)",
      `**${f1(slope(tail))} MiB/min** over ${tail.length} samples every ${SAMPLE_EVERY_MS / 1000} s`,
    ],
    ["Worker reloads by wrangler during the run (must be 0 for the numbers to count)", String(run.reloads)],
    ["CPU during the run", cpuText(run.cpu, done.length)],
    ["load client event-loop delay p99", `${f1(run.loopDelayP99)} ms (timestamps are taken on this loop)`],
  ];
  return [
    `### Run of ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `- command: \`${command}\``,
    `- machine: ${machineNote()}`,
    `- stack: \`npm run dev\` (wrangler dev / workerd, offline fake model with a fixed schedule of 24 chunks ${CHUNK_DELAY_MS} ms apart), database: ${database.label}`,
    `- load: ${STREAMS} concurrent SSE streams over ${DIALOGS} dialogs of one tenant (${Math.ceil(STREAMS / DIALOGS)} per dialog), each sending again as soon as its answer ends, for ${SECONDS} s; ${CABINET_CONNECTIONS} autocannon connections reading the cabinet at ${CABINET_RATE} req/s`,
    "",
    table(["measure", "value"], rows),
    "",
    `RSS samples (seconds: MiB summed = each workerd, oldest first): ${run.samples
      .map((s) => `${Math.round(s.t)}: ${Math.round(s.rss)} = ${s.parts.map(Math.round).join(" + ")}`)
      .join(", ")}`,
  ].join("\n");
}

async function main(): Promise<void> {
  if (Math.ceil(STREAMS / DIALOGS) > MAX_STREAMS_PER_DIALOG)
    throw new Error(
      `at most ${MAX_STREAMS_PER_DIALOG} streams per dialog (the dialog queue refuses beyond 9)`,
    );
  const database = await startDatabase();
  say(`database: ${database.label}; starting npm run dev`);
  const stack = await startDevStack({
    env: { DATABASE_URL: database.url },
    snapshot: process.env.LOAD_IN_PLACE !== "1",
  });
  cleanups.push(stack.stop);
  cleanups.push(() => {
    writeFileSync(LOG, stack.output());
    say(`npm run dev output: ${LOG}`);
  });
  say(
    `npm run dev on ${stack.baseUrl}, model ${stack.modelUrl}, workerd pids ${stack.workerdPids().join(", ")}, tree ${stack.cwd}`,
  );
  await registerScript(stack.modelUrl);
  const idleRss = workerdRss(stack);
  const mailApi = stack.mailApi as string;
  const owner = await createOwner(stack.baseUrl, "load", (address) => mailDevText(mailApi, address));
  await apiOk(
    stack.baseUrl,
    `/tenants/${owner.tenantId}/me/prompt/chunks`,
    {
      token: owner.token,
      body: { question: "Доставка", text: "Доставляем по всей стране за 2-3 дня." },
    },
    201,
  );
  // 200 streams from one address: the load tenant lifts the per-address chat limits, as an owner can
  // (docs/load.md); every other limit stays as it is.
  await apiOk(stack.baseUrl, `/tenants/${owner.tenantId}/me/budget`, {
    method: "PUT",
    token: owner.token,
    body: { ip_messages_per_minute: 0, ip_new_dialogs_per_minute: 0 },
  });
  const setup: TurnRecord[] = [];
  const dialogIds = await openDialogs(`${stack.baseUrl}/api/v1/tenants/${owner.tenantId}/chat`, setup);
  for (let i = 0; i < 20; i++) await modelTtft(stack.modelUrl);
  say(`tenant ${owner.slug}, ${dialogIds.length} dialogs open; ${STREAMS} streams for ${SECONDS} s`);
  const run = await runLoad(stack, owner, dialogIds);
  const accepted = [...setup, ...run.turns].filter((t) => t.status === 200).length;
  say(`load over: ${run.turns.length} turns; waiting for Postgres to hold ${accepted} turns`);
  const stored = await waitForStored(database.url, stack, owner, accepted);
  const settledRss = workerdRss(stack);
  const markdown = report(run, setup, stored, database, {
    idle: idleRss,
    settled: settledRss,
    each: workerdEach(stack),
  });
  console.log(`\n${markdown}\n`);
  const defaults = SECONDS === 60 && STREAMS === 200 && DIALOGS === 50;
  writeResults(
    DOC,
    defaults ? database.key : `${database.key}-${SECONDS}s-${STREAMS}x${DIALOGS}`,
    markdown,
    "Load",
  );
  say(`results written to docs/load.md`);
  const health = await api(stack.baseUrl, "/health");
  if (health.status !== 200) throw new Error(`health after the run: ${health.status}`);
}

/** `--profile NAME` or `--profile=NAME`; none: the default sustained load. */
function profileArg(args: string[]): string | undefined {
  const at = args.findIndex((a) => a === "--profile" || a.startsWith("--profile="));
  if (at < 0) return undefined;
  const name = args[at]?.includes("=") ? args[at]?.split("=")[1] : args[at + 1];
  if (name !== "day") throw new Error(`unknown --profile ${name ?? "(none)"}: the one profile is "day"`);
  return name;
}

const profile = profileArg(process.argv.slice(2));
const cleanup = cleanupOnExit(cleanups);

let code = 0;
try {
  if (profile === "day") await runDayProfile(cleanups);
  else await main();
} catch (err) {
  console.error(`[load] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
