/**
 * `npm run load -- --profile day` (docs/load.md "Day profile"): a day of traffic from many tenants, scaled
 * down to minutes, against `npm run dev` with its offline fake model. Reports per tenant turns, errors,
 * TTFT p50/p95/p99 and stored == sent (every message compared exactly in Postgres after the dialog objects
 * synced, and the cabinet's counts), writes the results into docs/load.md, and fails on any error, any
 * mismatch or a Worker reload.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { api } from "./api-accounts.ts";
import type { Cleanup } from "./cleanups.ts";
import { connectionSampler, maxConnections, pgCounters } from "./day-pg-stats.ts";
import { dayReport } from "./day-report.ts";
import { playDay } from "./day-run.ts";
import { registerDayScripts, setupTenants } from "./day-setup.ts";
import { type DayKnobs, planDay } from "./day-shape.ts";
import { checkStored, ownConnections, waitForSync } from "./day-verify.ts";
import { startDevStack } from "./dev-stack.ts";
import { writeResults } from "./doc-results.ts";
import { cpuMeter } from "./load-cpu.ts";
import { startScriptDatabase } from "./script-database.ts";

const num = (name: string, fallback: number, min = Number.MIN_VALUE) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
};

/** The knobs (docs/load.md lists them), read when the profile runs. */
function dayKnobs(): DayKnobs & {
  realTenants: number;
  chunkDelayMs: number;
  syncTimeoutMs: number;
  minServerConnections: number;
} {
  return {
    tenants: Math.round(num("LOAD_DAY_TENANTS", 30, 1)),
    seconds: num("LOAD_DAY_SECONDS", 180, 24),
    turns: Math.round(num("LOAD_DAY_TURNS", 450, 1)),
    zipf: num("LOAD_DAY_ZIPF", 1, 0),
    peakFactor: num("LOAD_DAY_PEAK", 3, 1),
    bursts: Math.round(num("LOAD_DAY_BURSTS", 3, 0)),
    burstShare: 0.06,
    returningShare: 0.3,
    seed: Math.round(num("LOAD_DAY_SEED", 1, 0)),
    realTenants: Math.round(num("LOAD_DAY_REAL_TENANTS", 3000, 1)),
    chunkDelayMs: num("LOAD_CHUNK_DELAY_MS", 20, 0),
    syncTimeoutMs: num("LOAD_DAY_SYNC_SECONDS", 60, 1) * 1000,
    minServerConnections: Math.round(num("LOAD_DAY_MIN_PG_CONNECTIONS", 400, 0)),
  };
}

const DOC = fileURLToPath(new URL("../../docs/load.md", import.meta.url));
const LOG = join(tmpdir(), "cip-load-day-dev.log");
const say = (msg: string) => console.log(`[load:day] ${msg}`);

/** Runs the day profile; throws (after writing the report) on any error, mismatch or reload. */
export async function runDayProfile(cleanups: Cleanup[]): Promise<void> {
  const knobs = dayKnobs();
  if (knobs.tenants > 200)
    throw new Error("LOAD_DAY_TENANTS: at most 200 (visitor addresses are 10.<tenant>.x.y)");
  const plan = planDay(knobs);
  const server = process.env.LOAD_DATABASE_URL;
  // wrangler's local Hyperdrive does not pool: every database handle of the app is a server backend, and
  // a day's many concurrent dialogs opened more than the 100 a default server allows (the first run here
  // refused other users of the shared server too). Ask for a server of its own with room.
  const room = server ? await maxConnections(server) : undefined;
  if (server && (room ?? 0) < knobs.minServerConnections)
    throw new Error(
      `LOAD_DATABASE_URL's server allows ${room ?? "?"} connections; the day profile needs ${knobs.minServerConnections} ` +
        "(local Hyperdrive opens one per database handle). Give it a Postgres of its own (docs/load.md, Day profile) " +
        "or set LOAD_DAY_MIN_PG_CONNECTIONS.",
    );
  const db = await startScriptDatabase({
    mode: server ? "postgres" : "pglite",
    server,
    prefix: "cip_load_day",
    cleanups,
  });
  say(`database: ${db.label}; starting npm run dev`);
  const stack = await startDevStack({
    env: { DATABASE_URL: db.url },
    snapshot: process.env.LOAD_IN_PLACE !== "1",
  });
  cleanups.push(stack.stop);
  cleanups.push(() => {
    writeFileSync(LOG, stack.output());
    say(`npm run dev output: ${LOG}`);
  });
  await registerDayScripts(stack.modelUrl, knobs.chunkDelayMs);
  say(`npm run dev on ${stack.baseUrl}; signing up ${knobs.tenants} tenants`);
  const tenants = await setupTenants(stack.baseUrl, stack.mailApi as string, knobs.tenants);
  const planned = plan.sessions.reduce((s, x) => s + x.turns, 0);
  say(
    `measuring idle CPU for 10 s, then playing a day of ${plan.sessions.length} sessions, ${planned} turns in ${knobs.seconds} s`,
  );
  // What workerd burns with no traffic at all (wrangler's proxy, timers, the inspector): at a day's low
  // rates it is a visible part of the CPU per turn, so the report gives it apart.
  const idleMeter = cpuMeter(stack);
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = idleMeter();
  const pgBefore = await pgCounters(db.url);
  const ownBefore = ownConnections();
  const reloadsBefore = stack.reloads();
  const started = Date.now();
  const cpu = cpuMeter(stack);
  const peakConnections = connectionSampler(db.url, 500);
  const hardStopMs = knobs.seconds * 3000 + 120_000;
  const run = await playDay(stack.baseUrl, tenants, plan, knobs.seconds, hardStopMs, (turns) => {
    const ok = turns.filter((t) => t.end === "done").length;
    say(`${Math.round((Date.now() - started) / 1000)} s: ${ok} answered, ${turns.length - ok} failed`);
  });
  const cpuUse = cpu();
  const playedSeconds = (Date.now() - started) / 1000;
  const connectionsPeak = await peakConnections();
  const reloads = stack.reloads() - reloadsBefore;
  const done = run.turns.filter((t) => t.end === "done").length;
  say(`day over: ${run.turns.length} turns, ${done} answered; waiting for Postgres`);
  const ids = tenants.map((t) => t.tenantId);
  const sync = await waitForSync(db.url, ids, done, knobs.syncTimeoutMs);
  await new Promise((r) => setTimeout(r, 1500)); // backends report their statistics at most once a second
  const pgAfter = await pgCounters(db.url);
  const own = ownConnections() - ownBefore;
  const checks = await checkStored(db.url, stack.baseUrl, tenants, run.turns);
  const knobsSet = Object.entries(process.env)
    .filter(([k]) => k.startsWith("LOAD_") && k !== "LOAD_DATABASE_URL")
    .map(([k, v]) => `${k}=${v} `)
    .join("");
  const command = `${knobsSet}${server ? "LOAD_DATABASE_URL=… " : ""}npm run load -- --profile day`;
  const markdown = dayReport({
    knobs,
    realTenants: knobs.realTenants,
    chunkDelayMs: knobs.chunkDelayMs,
    command,
    database: db.label,
    plan,
    tenants,
    run,
    checks,
    sync,
    pg: { before: pgBefore, after: pgAfter, own },
    cpu: cpuUse,
    reloads,
    connectionsPeak,
    idleWorkerdPerSecond: idle.workerd / 10,
    playedSeconds,
    coldTimeouts: (stack.output().match(/visitor directory could not read Postgres/g) ?? []).length,
  });
  console.log(`\n${markdown}\n`);
  const defaults = knobs.tenants === 30 && knobs.seconds === 180 && knobs.turns === 450;
  const key = `day-${db.kind}${defaults ? "" : `-${knobs.tenants}t-${knobs.seconds}s-${knobs.turns}`}`;
  writeResults(DOC, key, markdown, "Load");
  say(`results written to docs/load.md (${key})`);
  const health = await api(stack.baseUrl, "/health");
  const errors = run.turns.length - done;
  const mismatches = checks.reduce(
    (s, c, i) =>
      s +
      c.mismatches.length +
      (c.cabinet === 2 * run.turns.filter((t) => t.tenant === i && t.end === "done").length ? 0 : 1),
    0,
  );
  const problems = [
    errors ? `${errors} turns failed` : "",
    mismatches ? `${mismatches} stored ≠ sent` : "",
    run.continuedElsewhere.length
      ? `${run.continuedElsewhere.length} returning visitors not in their latest dialog`
      : "",
    sync.complete ? "" : "Postgres did not hold every turn in time",
    reloads ? `${reloads} Worker reloads` : "",
    health.status === 200 ? "" : `health after the run: ${health.status}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`day profile not clean: ${problems.join(", ")}`);
}
