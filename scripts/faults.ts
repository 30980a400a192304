/**
 * `npm run faults`: scripted faults against `npm run dev` (offline fake model, loopback only), each one
 * driven through the HTTP API and checked programmatically: what the user sees, what is stored, and
 * whether the next request works. Exits non-zero when an expectation fails. Writes docs/faults.md.
 *
 * Faults (one file each in faults/): SMTP down during tenant sign-up and during member registration
 * (SMTP_PORT is a closed port; an SMTP sink is brought up on it afterwards for the resend); the model
 * dropping the connection mid-stream, answering 429 and 500, stalling past the 30 s idle timeout; Postgres
 * restarting during a chat; the client hanging up mid-stream. FAULTS_ONLY=id,id runs some of them only.
 *
 * FAULTS_DB picks the database and how its restart is made (faults/database.ts):
 * - `postgres` (default when 127.0.0.1:5432 answers; FAULTS_PG_URL names another server): a fresh
 *   database on that server, reached by the app through a TCP proxy; the "restart" takes the proxy down
 *   (every connection dropped, new ones refused) and brings it back. The server itself is shared with
 *   other work and is never restarted.
 * - `pglite`: the embedded Postgres of `npm run dev` in a process of its own with data on disk; the
 *   restart really stops that server process and starts it again on the same port and data.
 * `npm run dev` runs in a frozen copy of the tree (FAULTS_IN_PLACE=1: in the tree itself).
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { clientDisconnect } from "./faults/client-disconnect.ts";
import { type Ctx, type Outcome, type Scenario, say, sleep } from "./faults/context.ts";
import { type FaultDb, startFaultDb } from "./faults/database.ts";
import { sinkDown } from "./faults/mail.ts";
import { model429 } from "./faults/model-429.ts";
import { model500 } from "./faults/model-500.ts";
import { modelDrop } from "./faults/model-drop.ts";
import { modelStall } from "./faults/model-stall.ts";
import { pgRestart } from "./faults/pg-restart.ts";
import { smtpRegister } from "./faults/smtp-register.ts";
import { smtpSignUp } from "./faults/smtp-signup.ts";
import { registerScripts } from "./faults/turns.ts";
import { type Cleanup, cleanupOnExit } from "./lib/cleanups.ts";
import { startDevStack } from "./lib/dev-stack.ts";
import { machineNote, table, writeResults } from "./lib/doc-results.ts";
import { freePort } from "./lib/free-port.ts";

const DOC = fileURLToPath(new URL("../docs/faults.md", import.meta.url));
const LOG = join(tmpdir(), "cip-faults-dev.log");
const SCENARIO_TIMEOUT_MS = 240_000;

/** In this order: smtp-register needs the owner smtp-signup makes, pg-restart reads its cabinet. */
const SCENARIOS: Scenario[] = [
  smtpSignUp,
  smtpRegister,
  modelDrop,
  model429,
  model500,
  clientDisconnect,
  pgRestart,
  modelStall,
];

const cleanups: Cleanup[] = [];

async function runScenario(ctx: Ctx, { name, run }: Scenario): Promise<Outcome> {
  say(`${name} ...`);
  try {
    const outcome = await Promise.race([
      run(ctx),
      sleep(SCENARIO_TIMEOUT_MS).then(() => {
        throw new Error(`no result within ${SCENARIO_TIMEOUT_MS / 1000} s`);
      }),
    ]);
    say(`${name}: ${outcome.problems.length ? `FAIL (${outcome.problems.join("; ")})` : "ok"}`);
    return outcome;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    say(`${name}: FAIL (${message})`);
    return { scenario: name, sees: "—", stored: "—", next: "—", problems: [message] };
  }
}

function report(db: FaultDb, outcomes: Outcome[], seconds: number): string {
  const rows = outcomes.map((o) => [
    o.scenario,
    o.sees,
    o.stored,
    o.next,
    o.problems.length ? `**FAIL**: ${o.problems.join("; ")}` : "pass",
  ]);
  const failed = outcomes.filter((o) => o.problems.length > 0).length;
  return [
    `### Run of ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: ${outcomes.length - failed} passed, ${failed} failed (${seconds.toFixed(0)} s)`,
    "",
    `- command: \`FAULTS_DB=${db.mode} npm run faults\``,
    `- machine: ${machineNote()}`,
    `- stack: \`npm run dev\` (wrangler dev / workerd, offline fake model) with SMTP_HOST=127.0.0.1 and SMTP_PORT on a closed port (an SMTP sink is started there when a scenario brings mail back); database: ${db.label}`,
    "",
    table(["scenario", "what the user sees", "what is stored", "next request works", "result"], rows),
  ].join("\n");
}

async function main(): Promise<number> {
  const started = Date.now();
  const only = process.env.FAULTS_ONLY?.split(",").map((x) => x.trim());
  const db = await startFaultDb(cleanups);
  say(`database: ${db.label}`);
  const smtpPort = await freePort();
  const sinkApiPort = await freePort();
  const stack = await startDevStack({
    env: {
      DATABASE_URL: db.appUrl,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      SMTP_USER: "",
      SMTP_PASSWORD: "",
    },
    snapshot: process.env.FAULTS_IN_PLACE !== "1",
  });
  cleanups.push(stack.stop);
  cleanups.push(() => {
    writeFileSync(LOG, stack.output());
    say(`npm run dev output: ${LOG}`);
  });
  const ctx: Ctx = { stack, db, smtpPort, sinkApiPort, sink: undefined, owner: undefined };
  cleanups.push(() => sinkDown(ctx));
  say(
    `npm run dev on ${stack.baseUrl} (tree ${stack.cwd}), model ${stack.modelUrl}, SMTP port ${smtpPort} (closed)`,
  );
  await registerScripts(ctx);
  const outcomes: Outcome[] = [];
  for (const scenario of SCENARIOS) {
    if (only && !only.includes(scenario.id)) continue;
    outcomes.push(await runScenario(ctx, scenario));
  }
  const reloads = stack.reloads();
  if (reloads > 0)
    outcomes.push({
      scenario: "wrangler reloads",
      sees: "—",
      stored: "—",
      next: "—",
      problems: [`the Worker was reloaded ${reloads}× during the run`],
    });
  const markdown = report(db, outcomes, (Date.now() - started) / 1000);
  console.log(`\n${markdown}\n`);
  if (only) say("FAULTS_ONLY set: docs/faults.md left as it is");
  else {
    writeResults(DOC, db.mode, markdown, "Faults");
    say("results written to docs/faults.md");
  }
  return outcomes.some((o) => o.problems.length > 0) ? 1 : 0;
}

const cleanup = cleanupOnExit(cleanups);

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[faults] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  await cleanup();
}
process.exit(code);
