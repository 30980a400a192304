/**
 * The day profile's report (docs/load.md): the scale-down factors and the real day they stand for, the
 * shape as played, and per tenant: turns, errors, TTFT p50/p95/p99, stored == sent.
 */

import type { PgCounters } from "./day-pg-stats.ts";
import type { DayRunResult, DayTurn } from "./day-run.ts";
import type { DayTenant } from "./day-setup.ts";
import { type DayKnobs, type DayPlan, MEAN_TURNS_PER_SESSION } from "./day-shape.ts";
import type { SyncWait, TenantCheck } from "./day-verify.ts";
import { machineNote, table } from "./doc-results.ts";
import { type CpuUse, cpuText } from "./load-cpu.ts";
import { percentile } from "./stats.ts";

export interface DayReportInput {
  knobs: DayKnobs;
  /** Tenants of the real platform the run's tenants stand for. */
  realTenants: number;
  chunkDelayMs: number;
  command: string;
  database: string;
  plan: DayPlan;
  tenants: DayTenant[];
  run: DayRunResult;
  checks: TenantCheck[];
  sync: SyncWait;
  pg: { before?: PgCounters; after?: PgCounters; own: number };
  cpu: CpuUse;
  reloads: number;
  /** workerd CPU seconds per second with no traffic, measured for 10 s before the day. */
  idleWorkerdPerSecond: number;
  /** Wall time the day took to play (it runs late when the stack falls behind). */
  playedSeconds: number;
  /** Most connections the run's database had open at once (sampled every 0.5 s). */
  connectionsPeak: number;
  /** First lookups of new visitors that gave up on Postgres after 2 s (from the dev log). */
  coldTimeouts: number;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ttft = (turns: DayTurn[]) =>
  turns.filter((t) => t.firstTokenAt !== undefined).map((t) => (t.firstTokenAt as number) - t.startedAt);
const pct = (v: number[]) => `${f1(percentile(v, 50))} / ${f1(percentile(v, 95))} / ${f1(percentile(v, 99))}`;

/** Turns that did not end in `done`, by kind. */
export function errorKinds(turns: DayTurn[]): string {
  const kinds = new Map<string, number>();
  for (const t of turns) {
    if (t.end === "done") continue;
    const e = t.error as { code?: string; error?: { code?: string } } | undefined;
    const code = e?.code ?? e?.error?.code;
    const key = `${t.end}${t.status && t.status !== 200 ? ` ${t.status}` : ""}${code ? ` ${code}` : ""}`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${n}× ${k}`).join(", ") || "none";
}

function scaleLines(i: DayReportInput, turns: number): string[] {
  const { knobs } = i;
  const time = 86_400 / knobs.seconds;
  const tenantsFactor = i.realTenants / knobs.tenants;
  const realTurns = turns * tenantsFactor;
  const realMean = realTurns / 86_400;
  const runMean = turns / knobs.seconds;
  return [
    `- **scale**: time 1:${f0(time)} (24 h → ${knobs.seconds} s, an hour → ${f1(knobs.seconds / 24)} s, a real 10 minutes → ${f1((600 * knobs.seconds) / 86_400)} s); tenants 1:${f0(tenantsFactor)} (${knobs.tenants} tenants stand for a platform of ${f0(i.realTenants)}, each keeping its own day's volume); think time between a visitor's turns 10–90 s, compressed the same way`,
    `- **the real day it corresponds to**: ${f0(i.realTenants)} tenants, ${f0(realTurns)} turns (${f1(realTurns / i.realTenants)} per tenant on average), a mean of ${f1(realMean)} turns/s and ${f1(realMean * knobs.peakFactor)} turns/s in the peak hour. The run plays its ${knobs.tenants}-tenant sample at ${f1(runMean)} turns/s mean, ${f1(runMean * knobs.peakFactor)} in the peak hour: **${f1(runMean / realMean)}× the real platform's rate** at the edge (time ÷ tenants), and each tenant ${f0(time)}× faster than in its real day`,
    `- **shape**: ${knobs.tenants} tenants with Zipf(s = ${knobs.zipf}) shares (top ${f1(100 * (i.plan.shares[0] ?? 0))} %, last ${f1(100 * (i.plan.shares[i.plan.shares.length - 1] ?? 0))} %); hour weights from a quiet night (${f1(Math.min(...i.plan.hourly))}× mean) to the peak hour ${i.plan.peakHour}:00 (${f1(i.plan.hourly[i.plan.peakHour] ?? 0)}× mean); ${knobs.bursts} bursts of new visitors (${f1(100 * knobs.burstShare)} % of the sessions, each in a real 10 minutes); ${f1(MEAN_TURNS_PER_SESSION)} turns per session on average (half of them multi-turn); ${f1(100 * knobs.returningShare)} % of sessions by returning visitors; seed ${knobs.seed}`,
  ];
}

function hourLine(i: DayReportInput): string {
  const hourMs = (i.knobs.seconds * 1000) / 24;
  const planned = new Map<number, number>();
  for (const s of i.plan.sessions) {
    const h = Math.min(23, Math.floor(s.at / hourMs));
    planned.set(h, (planned.get(h) ?? 0) + s.turns);
  }
  const played = new Map<number, number>();
  for (const t of i.run.turns) played.set(t.hour, (played.get(t.hour) ?? 0) + 1);
  return Array.from({ length: 24 }, (_, h) => `${h}h ${played.get(h) ?? 0}/${planned.get(h) ?? 0}`).join(
    ", ",
  );
}

function pgLine(i: DayReportInput, done: number): string {
  const { before, after, own } = i.pg;
  if (!before || !after) return "n/a (no pg_stat_database)";
  const d = (k: keyof PgCounters) => after[k] - before[k];
  const sessions = d("sessions") - own;
  return `${f0(sessions)} connections opened (${f1(sessions / Math.max(1, done))} per turn, the script's own ${own} left out), ${f0(d("commits"))} commits (${f1(d("commits") / Math.max(1, done))} per turn), ${f0(d("inserted"))} rows inserted (${f1(d("inserted") / Math.max(1, done))} per turn), ${f0(d("updated"))} updated (${f1(d("updated") / Math.max(1, done))} per turn); the whole database from before the first turn to after the sync, set-up reads excluded`;
}

/** The markdown block for docs/load.md. */
export function dayReport(i: DayReportInput): string {
  const turns = i.run.turns;
  const done = turns.filter((t) => t.end === "done");
  const seconds = (i.run.endedAt - i.run.startedAt) / 1000;
  const errors = turns.length - done.length;
  const mismatches = i.checks.reduce((s, c) => s + c.mismatches.length, 0);
  const dialogs = i.checks.reduce((s, c) => s + c.dialogs, 0);
  const multi = new Map<string, number>();
  for (const t of done) multi.set(t.dialogId as string, (multi.get(t.dialogId as string) ?? 0) + 1);
  const peak = turns.filter((t) => t.hour === i.plan.peakHour).length / (i.knobs.seconds / 24);
  const inBursts = turns.filter((t) => t.burst !== undefined);
  const rows: string[][] = [
    [
      "turns",
      `${done.length} answered of ${turns.length} sent in ${f1(seconds)} s (planned ${i.plan.sessions.reduce((s, x) => s + x.turns, 0)}); mean ${f1(done.length / i.knobs.seconds)} turns/s over the day, **${f1(peak)} turns/s in the peak hour**`,
    ],
    ["turns per compressed hour, played/planned", hourLine(i)],
    [
      "bursts",
      `${i.plan.bursts.map((b) => `tenant ${b.tenant + 1} at ${f1(b.at / 1000)} s: ${b.sessions} sessions in ${f1(b.lengthMs / 1000)} s`).join("; ")}; their turns' TTFT p50/p95/p99 ${pct(ttft(inBursts))} ms`,
    ],
    [
      "visitors and dialogs",
      `${i.run.newVisitors} new visitors, ${i.run.returningVisitors} returning sessions (${i.run.returningNewDialog} of them started a new dialog; ${i.run.continued} continued without a dialog_id, **${i.run.continuedElsewhere.length} of those not in their latest dialog**${i.run.continuedElsewhere.length ? ` (${i.run.continuedElsewhere.slice(0, 3).join("; ")})` : ""}); ${dialogs} dialogs, ${[...multi.values()].filter((n) => n > 1).length} of them multi-turn (up to ${Math.max(0, ...multi.values())} turns)`,
    ],
    [
      "**TTFT p50 / p95 / p99, all tenants**",
      `**${pct(ttft(done))} ms** (from the request; turns of one visitor never queue behind each other)`,
    ],
    ["whole turn p50 / p95 / p99", `${pct(done.map((t) => t.endedAt - t.startedAt))} ms`],
    ["session start lag p99 (the client's own)", `${f1(percentile(i.run.startLag, 99))} ms`],
    ["**errors**", `**${errors}** (${errorKinds(turns)})`],
    [
      "**stored == sent**",
      `**${mismatches === 0 && i.sync.complete ? "yes" : "NO"}**: ${i.checks.reduce((s, c) => s + c.compared, 0)} messages compared exactly (visitor text as sent, answer as streamed, in order, \`complete\`), ${mismatches} mismatches; Postgres held every turn ${f1(i.sync.waitedMs / 1000)} s after the last answer${i.sync.complete ? "" : " (**gave up waiting**)"}; cabinet message_count ${i.checks.reduce((s, c) => s + c.cabinet, 0)} (expected ${2 * done.length})`,
    ],
    ["Postgres writes (pg_stat_database)", pgLine(i, done.length)],
    [
      "Postgres connections open at once, peak (local Hyperdrive does not pool)",
      `${i.connectionsPeak} (sampled every 0.5 s from pg_stat_activity)`,
    ],
    [
      "visitor directory: first lookups that gave up on Postgres (2 s) and started a new dialog",
      `${i.coldTimeouts} (of ${i.run.newVisitors} new visitors; for a new visitor a new dialog is the right answer anyway)`,
    ],
    ["CPU during the day", cpuText(i.cpu, done.length)],
    [
      "**workerd CPU per turn, net of idle**",
      `idle ${f1(1000 * i.idleWorkerdPerSecond)} ms/s with no traffic (10 s before the day); **${f1((1000 * (i.cpu.workerd - i.idleWorkerdPerSecond * i.playedSeconds)) / Math.max(1, done.length))} ms per turn** net of it; ${f1((1000 * i.cpu.workerd) / Math.max(1, dialogs))} ms per dialog`,
    ],
    ["Worker reloads by wrangler (must be 0)", String(i.reloads)],
  ];
  const perTenant = i.tenants.map((_, k) => {
    const mine = turns.filter((x) => x.tenant === k);
    const ok = mine.filter((x) => x.end === "done");
    const c = i.checks[k] as TenantCheck;
    const same = c.mismatches.length === 0 && c.stored === 2 * ok.length && c.cabinet === 2 * ok.length;
    return [
      String(k + 1),
      `${f1(100 * (i.plan.shares[k] ?? 0))} %`,
      String(ok.length),
      String(mine.length - ok.length),
      String(c.dialogs),
      pct(ttft(ok)),
      `${same ? "yes" : "**NO**"} (${c.stored} rows, cabinet ${c.cabinet})${c.mismatches.length ? `: ${c.mismatches.slice(0, 2).join("; ")}` : ""}`,
    ];
  });
  return [
    `### Day profile, run of ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `- command: \`${i.command}\``,
    `- machine: ${machineNote()}`,
    `- stack: \`npm run dev\` (wrangler dev / workerd, offline fake model: 3 answers of 30–190 characters, chunks ${i.chunkDelayMs} ms apart), database: ${i.database}`,
    ...scaleLines(i, done.length),
    "",
    table(["measure", "value"], rows),
    "",
    "Per tenant (rank by planned share; TTFT from the request, ms):",
    "",
    table(
      ["tenant", "share", "turns", "errors", "dialogs", "TTFT p50 / p95 / p99", "stored == sent"],
      perTenant,
    ),
  ].join("\n");
}
