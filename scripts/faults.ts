/**
 * `npm run faults`: scripted faults against `npm run dev` (offline fake model, loopback only), each one
 * driven through the HTTP API and checked programmatically: what the user sees, what is stored, and
 * whether the next request works. Exits non-zero when an expectation fails. Writes docs/faults.md.
 *
 * Faults: SMTP down during tenant sign-up and during member registration (SMTP_PORT is a closed port; an
 * SMTP sink is brought up on it afterwards for the resend); the model dropping the connection mid-stream,
 * answering 429 and 500, stalling past the 30 s idle timeout; Postgres restarting during a chat; the
 * client hanging up mid-stream.
 *
 * FAULTS_DB picks the database and how its restart is made:
 * - `postgres` (default when 127.0.0.1:5432 answers; FAULTS_PG_URL names another server): a fresh
 *   database on that server, reached by the app through a TCP proxy; the "restart" takes the proxy down
 *   (every connection dropped, new ones refused) and brings it back. The server itself is shared with
 *   other work and is never restarted.
 * - `pglite`: the embedded Postgres of `npm run dev` in a process of its own with data on disk; the
 *   restart really stops that server process and starts it again on the same port and data.
 * `npm run dev` runs in a frozen copy of the tree (FAULTS_IN_PLACE=1: in the tree itself).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { api, confirmToken, PASSWORD, sinkText, uniqueSlug } from "./lib/api-accounts.ts";
import { chatTurn, readAll, type TurnRecord } from "./lib/chat-client.ts";
import { cleanupOnExit } from "./lib/cleanups.ts";
import { type DevStack, startDevStack } from "./lib/dev-stack.ts";
import { machineNote, table, writeResults } from "./lib/doc-results.ts";
import { freePort } from "./lib/free-port.ts";
import { createFreshDatabase, uniqueDatabaseName } from "./lib/fresh-database.ts";
import { type PgliteProcess, spawnPglite } from "./lib/pglite-process.ts";
import { type SmtpSink, startSmtpSink } from "./lib/smtp-sink.ts";
import { startSwitchableProxy } from "./lib/switchable-proxy.ts";

const DEMO = "00000000-0000-4000-8000-000000000001";
const DOC = fileURLToPath(new URL("../docs/faults.md", import.meta.url));
const LOG = join(tmpdir(), "cip-faults-dev.log");
const PG_SERVER = process.env.FAULTS_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SCENARIO_TIMEOUT_MS = 240_000;
const OK_REPLY = "Готово, всё работает.";
const LONG_REPLY = "Длинный ответ, который продолжает писаться после того, как посетитель ушёл. ".repeat(2);

const cleanups: Array<() => Promise<void> | void> = [];
const say = (msg: string) => console.log(`[faults] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the database and its restart

interface FaultDb {
  mode: "postgres" | "pglite";
  /** DATABASE_URL for the app. */
  appUrl: string;
  /** For this script's own checks (never through the proxy). */
  directUrl: string;
  label: string;
  down(): Promise<void>;
  up(): Promise<void>;
}

async function pgAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function postgresDb(): Promise<FaultDb> {
  const db = await createFreshDatabase(PG_SERVER, uniqueDatabaseName("cip_faults"));
  cleanups.push(db.drop);
  const proxy = await startSwitchableProxy({ port: await freePort(), target: new URL(db.url) });
  cleanups.push(proxy.stop);
  return {
    mode: "postgres",
    appUrl: proxy.url,
    directUrl: db.url,
    label: `Postgres server at ${new URL(PG_SERVER).host} (fresh database) behind a TCP proxy; restart = proxy down (all connections dropped, new ones refused), then up`,
    down: proxy.down,
    up: proxy.up,
  };
}

async function pgliteDb(): Promise<FaultDb> {
  const dataDir = mkdtempSync(join(tmpdir(), "cip-faults-pglite-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  let server: PgliteProcess | undefined = await spawnPglite({ port, dataDir });
  cleanups.push(() => server?.stop());
  const url = server.url;
  return {
    mode: "pglite",
    appUrl: url,
    directUrl: url,
    label:
      "embedded PGlite server (own process, data on disk); restart = the server process stopped and started again on the same port and data",
    down: async () => {
      await server?.stop();
      server = undefined;
    },
    up: async () => {
      server = await spawnPglite({ port, dataDir });
    },
  };
}

async function startDb(): Promise<FaultDb> {
  const mode = process.env.FAULTS_DB ?? ((await pgAnswers(PG_SERVER)) ? "postgres" : "pglite");
  if (mode === "postgres") return postgresDb();
  if (mode === "pglite") return pgliteDb();
  throw new Error(`FAULTS_DB must be postgres or pglite, not ${mode}`);
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- shared context and checks

interface Ctx {
  stack: DevStack;
  db: FaultDb;
  smtpPort: number;
  sinkApiPort: number;
  sink: SmtpSink | undefined;
  /** The owner made in the first scenario, for cabinet reads later. */
  owner: { tenantId: string; token: string } | undefined;
}

interface Outcome {
  scenario: string;
  sees: string;
  stored: string;
  next: string;
  problems: string[];
}

/** Collects failed expectations instead of stopping at the first one. */
class Checks {
  readonly problems: string[] = [];
  expect(ok: boolean, what: string): boolean {
    if (!ok) this.problems.push(what);
    return ok;
  }
}

interface StoredMessage {
  seq: number;
  role: string;
  status: string;
  content: string;
}

function storedMessages(ctx: Ctx, dialogId: string): Promise<StoredMessage[]> {
  return query<StoredMessage>(
    ctx.db.directUrl,
    "select seq, role, status, content from messages where dialog_id = $1 order by seq",
    [dialogId],
  );
}

/** Polls Postgres until the dialog's rows satisfy `done` (or `timeoutMs` passes); returns the last read. */
async function waitStored(
  ctx: Ctx,
  dialogId: string,
  done: (rows: StoredMessage[]) => boolean,
  timeoutMs = 15_000,
): Promise<{ rows: StoredMessage[]; ms: number }> {
  const started = Date.now();
  let rows: StoredMessage[] = [];
  for (;;) {
    rows = await storedMessages(ctx, dialogId).catch(() => rows);
    if (done(rows) || Date.now() - started > timeoutMs) return { rows, ms: Date.now() - started };
    await sleep(250);
  }
}

const last = (rows: StoredMessage[]) => rows[rows.length - 1];
/** Stored order is user, assistant, user, assistant, ... with seq 1, 2, 3, ... */
const alternates = (rows: StoredMessage[]) =>
  rows.every((r, i) => r.seq === i + 1 && r.role === (i % 2 === 0 ? "user" : "assistant"));
const describeRows = (rows: StoredMessage[]) =>
  rows
    .map((r) => `${r.role} ${r.status}${r.role === "assistant" ? ` (${[...r.content].length} chars)` : ""}`)
    .join(", ");

function errorCode(turn: TurnRecord): string {
  const data = turn.error as { code?: string; message?: string; error?: { code?: string } } | undefined;
  return data?.code ?? data?.error?.code ?? (typeof turn.error === "string" ? turn.error : "");
}

function describeTurn(turn: TurnRecord): string {
  const meta = turn.events.some((e) => e.event === "meta") ? "`meta`, " : "";
  const text = turn.tokens
    ? `${meta}${turn.tokens} token events ("${turn.text.slice(0, 24)}…"), then `
    : `${meta}no tokens, `;
  if (turn.end === "timeout")
    return `${text}nothing more for ${((turn.endedAt - turn.startedAt) / 1000).toFixed(0)} s (client gave up)`;
  const message = (turn.error as { message?: string } | undefined)?.message;
  if (turn.end === "done") return `${turn.tokens} token events, then \`done\``;
  if (turn.end === "error") return `${text}\`error\` ${errorCode(turn)}${message ? ` ("${message}")` : ""}`;
  return `${text}${turn.end} (HTTP ${turn.status})`;
}

async function registerScript(ctx: Ctx, id: string, script: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${ctx.stack.modelUrl}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, script }),
  });
  if (!res.ok) throw new Error(`model script ${id}: ${res.status}`);
}

async function modelRequests(ctx: Ctx, id: string): Promise<number> {
  const res = await fetch(`${ctx.stack.modelUrl}/__requests?script=${id}`);
  return ((await res.json()) as unknown[]).length;
}

const chatUrl = (ctx: Ctx) => `${ctx.stack.baseUrl}/api/v1/tenants/${DEMO}/chat`;

function turn(
  ctx: Ctx,
  visitor: string,
  message: string,
  dialogId?: string,
  opts: { abortAfterTokens?: number; timeoutMs?: number } = {},
) {
  return chatTurn(
    chatUrl(ctx),
    { user_id: visitor, message, ...(dialogId ? { dialog_id: dialogId } : {}) },
    { timeoutMs: opts.timeoutMs ?? 60_000, ...opts },
  );
}

/** A dialog with one answered turn, stored in Postgres. */
async function warmDialog(ctx: Ctx, visitor: string): Promise<string> {
  const first = await turn(ctx, visitor, "Здравствуйте [[script:ok]]");
  if (first.end !== "done" || !first.dialogId) throw new Error(`opening a dialog: ${describeTurn(first)}`);
  await waitStored(ctx, first.dialogId, (rows) => rows.length === 2);
  return first.dialogId;
}

/** The next turn in the dialog: answered completely and stored right after. */
async function nextTurnWorks(ctx: Ctx, checks: Checks, visitor: string, dialogId: string): Promise<string> {
  const next = await turn(ctx, visitor, "А теперь? [[script:ok]]", dialogId, { timeoutMs: 30_000 });
  checks.expect(next.end === "done" && next.text === OK_REPLY, `next turn: ${describeTurn(next)}`);
  const { rows, ms } = await waitStored(
    ctx,
    dialogId,
    (r) => last(r)?.status === "complete" && last(r)?.content === OK_REPLY,
  );
  const ok = checks.expect(last(rows)?.content === OK_REPLY, "next turn not stored complete");
  checks.expect(alternates(rows), `stored order is not user, assistant, ...: ${describeRows(rows)}`);
  return ok && next.end === "done"
    ? `yes: next turn in the same dialog answered (\`done\`) and stored complete ${ms} ms later; the dialog in Postgres now: ${describeRows(rows)}`
    : "NO";
}

// ---------------------------------------------------------------- SMTP

async function sinkUp(ctx: Ctx): Promise<void> {
  ctx.sink ??= await startSmtpSink({ smtpPort: ctx.smtpPort, apiPort: ctx.sinkApiPort });
}

async function sinkDown(ctx: Ctx): Promise<void> {
  const sink = ctx.sink;
  ctx.sink = undefined;
  if (sink) await Promise.race([sink.stop(), sleep(5000)]);
}

async function userRow(ctx: Ctx, tenantId: string, email: string) {
  const rows = await query<{ id: string; role: string; confirmed: boolean; tokens: string }>(
    ctx.db.directUrl,
    `select u.id, u.role, u.confirmed_at is not null as confirmed,
            (select count(*) from email_tokens t where t.user_id = u.id and t.purpose = 'confirm') as tokens
       from users u where u.tenant_id = $1 and u.email = $2`,
    [tenantId, email],
  );
  return rows[0];
}

/** The resend → mail → confirm → login path once the sink is up; returns the access token or "". */
async function resendAndConfirm(
  ctx: Ctx,
  checks: Checks,
  tenantId: string,
  slug: string,
  email: string,
): Promise<{ token: string; text: string }> {
  await sinkUp(ctx);
  const sinkApi = `http://127.0.0.1:${ctx.sinkApiPort}`;
  const started = Date.now();
  const resend = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/confirm/resend`, { body: { email } });
  checks.expect(resend.status === 202, `resend answered ${resend.status}`);
  const mail = await sinkText(sinkApi, email, 20_000).catch(() => "");
  const mailMs = Date.now() - started;
  if (!checks.expect(mail !== "", "no mail after resend"))
    return { token: "", text: "NO: no mail after resend" };
  const confirm = await api(
    ctx.stack.baseUrl,
    `/tenants/by-slug/${slug}/confirm?token=${encodeURIComponent(confirmToken(mail))}`,
  );
  checks.expect(confirm.status === 200, `confirm answered ${confirm.status}`);
  const login = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  checks.expect(login.status === 200, `login after confirm answered ${login.status}`);
  const token = (login.body as { access_token?: string } | null)?.access_token ?? "";
  return {
    token,
    text: `yes: SMTP back, resend 202 → mail in ${mailMs} ms → confirm ${confirm.status} → login ${login.status}`,
  };
}

/** The app stays responsive while the mail fails in the background (worker-mailer once froze the isolate). */
async function responsive(ctx: Ctx, checks: Checks): Promise<void> {
  const health = await api(ctx.stack.baseUrl, "/health").catch(() => undefined);
  checks.expect(health?.status === 200, "health did not answer while the mail failed");
}

async function smtpDownSignUp(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  await sinkDown(ctx);
  const slug = uniqueSlug("faults");
  const email = `owner@${slug}.example.com`;
  const logBefore = ctx.stack.output().split("account mail not delivered").length;
  const res = await api(ctx.stack.baseUrl, "/tenants", {
    body: { slug, name: `Shop ${slug}`, email, password: PASSWORD, locale: "en" },
  });
  const tenant = res.body as { id?: string; owner?: { confirmed?: boolean } };
  checks.expect(res.status === 201 && tenant.owner?.confirmed === false, `sign-up answered ${res.status}`);
  const tenantId = tenant.id ?? "";
  await sleep(3000); // the mail goes out after the response (waitUntil) and fails
  await responsive(ctx, checks);
  const logged = ctx.stack.output().split("account mail not delivered").length > logBefore;
  checks.expect(logged, "the failed delivery was not logged");
  const login = await api(ctx.stack.baseUrl, `/tenants/${tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  const loginCode = (login.body as { error?: { code?: string } } | null)?.error?.code;
  checks.expect(
    login.status === 403 && loginCode === "email_not_confirmed",
    `login answered ${login.status}`,
  );
  const row = tenantId ? await userRow(ctx, tenantId, email) : undefined;
  checks.expect(row?.role === "owner" && row.confirmed === false, "owner row missing or not pending");
  const after = await resendAndConfirm(ctx, checks, tenantId, slug, email);
  if (after.token) ctx.owner = { tenantId, token: after.token };
  return {
    scenario: "SMTP down during tenant sign-up (SMTP_PORT closed)",
    sees: `sign-up ${res.status} (owner confirmed: false); login ${login.status} ${loginCode ?? ""}; app stays responsive`,
    stored: `tenant + owner row, unconfirmed, ${row?.tokens ?? "?"} confirm token(s); no mail; log: ${logged ? '"account mail not delivered"' : "nothing"}`,
    next: after.text,
    problems: checks.problems,
  };
}

async function smtpDownRegistration(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  const owner = ctx.owner;
  if (!owner) throw new Error("needs the owner of the sign-up scenario");
  const tenant = (await api(ctx.stack.baseUrl, `/tenants/by-slug/${await slugOf(ctx, owner.tenantId)}`))
    .body as {
    slug: string;
  };
  await sinkDown(ctx);
  const email = `member-${Date.now().toString(36)}@example.com`;
  const res = await api(ctx.stack.baseUrl, `/tenants/${owner.tenantId}/register`, {
    body: { email, password: PASSWORD, name: "Member" },
  });
  checks.expect(res.status === 202, `register answered ${res.status}`);
  await sleep(3000);
  await responsive(ctx, checks);
  const login = await api(ctx.stack.baseUrl, `/tenants/${owner.tenantId}/login`, {
    body: { email, password: PASSWORD },
  });
  checks.expect(login.status === 403, `login before confirming answered ${login.status}`);
  const row = await userRow(ctx, owner.tenantId, email);
  checks.expect(row?.role === "member" && row.confirmed === false, "member row missing or not pending");
  const after = await resendAndConfirm(ctx, checks, owner.tenantId, tenant.slug, email);
  return {
    scenario: "SMTP down during member registration (SMTP_PORT closed)",
    sees: `register ${res.status} \`pending_confirmation\`; login ${login.status}; app stays responsive`,
    stored: `member row, unconfirmed, ${row?.tokens ?? "?"} confirm token(s); no mail`,
    next: after.text,
    problems: checks.problems,
  };
}

async function slugOf(ctx: Ctx, tenantId: string): Promise<string> {
  const rows = await query<{ slug: string }>(ctx.db.directUrl, "select slug from tenants where id = $1", [
    tenantId,
  ]);
  return rows[0]?.slug ?? "";
}

// ---------------------------------------------------------------- the model

/** One failing model turn in a warm dialog; checks the error event, the stored answer and the next turn. */
async function modelFault(
  ctx: Ctx,
  opts: {
    scenario: string;
    script: string;
    /** Error codes the `error` event may carry. */
    expectCodes: string[];
    expectTokens: boolean;
    /** The JSON route's expected HTTP status for the same failure, when checked. */
    jsonStatus?: number;
  },
): Promise<Outcome> {
  const checks = new Checks();
  const visitor = `faults-${opts.script}-${Date.now().toString(36)}`;
  const dialogId = await warmDialog(ctx, visitor);
  const started = performance.now();
  const failed = await turn(ctx, visitor, `Вопрос [[script:${opts.script}]]`, dialogId);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  checks.expect(failed.status === 200 && failed.end === "error", `stream ended ${failed.end}`);
  checks.expect(
    opts.expectCodes.includes(errorCode(failed)),
    `error code ${errorCode(failed)}, not ${opts.expectCodes.join(" or ")}`,
  );
  checks.expect(opts.expectTokens ? failed.tokens > 0 : failed.tokens === 0, `${failed.tokens} tokens`);
  const status = opts.expectTokens ? "partial" : "failed";
  const { rows } = await waitStored(ctx, dialogId, (r) => r.length === 4 && last(r)?.status === status);
  const answer = last(rows);
  checks.expect(rows.length === 4 && rows[2]?.role === "user", "the user message is not stored");
  checks.expect(answer?.status === status, `stored answer is ${answer?.status}, not ${status}`);
  checks.expect(answer?.content === failed.text, "stored answer differs from what the user saw");
  let json = "";
  if (opts.jsonStatus !== undefined) {
    const res = await api(ctx.stack.baseUrl, `/tenants/${DEMO}/chat/message`, {
      body: { user_id: visitor, message: `JSON [[script:${opts.script}]]`, dialog_id: dialogId },
    });
    const retryAfter = res.headers.get("retry-after");
    checks.expect(
      res.status === opts.jsonStatus,
      `JSON route answered ${res.status}, not ${opts.jsonStatus}`,
    );
    json = `; JSON route: ${res.status}${retryAfter ? ` Retry-After ${retryAfter}` : ""}`;
  }
  const requests = await modelRequests(ctx, opts.script);
  const turns = opts.jsonStatus === undefined ? 1 : 2;
  checks.expect(requests === turns, `the model was asked ${requests} times for ${turns} turn(s)`);
  const next = await nextTurnWorks(ctx, checks, visitor, dialogId);
  return {
    scenario: opts.scenario,
    sees: `${describeTurn(failed)} after ${seconds} s${failed.pings ? `, ${failed.pings} \`: ping\` while waiting` : ""}${json}`,
    stored: `user complete; assistant ${answer?.status ?? "missing"} (${[...(answer?.content ?? "")].length} chars, same as streamed); model asked ${requests}× for ${turns} turn(s) (no retry)`,
    next,
    problems: checks.problems,
  };
}

// ---------------------------------------------------------------- Postgres restart

/** Status of a cabinet read by the owner (0 when there is no owner or no answer in `timeoutMs`). */
async function cabinetRead(ctx: Ctx, timeoutMs = 30_000): Promise<number> {
  if (!ctx.owner) return 0;
  const res = await api(ctx.stack.baseUrl, `/tenants/${ctx.owner.tenantId}/me/dialogs?limit=5`, {
    token: ctx.owner.token,
    timeoutMs,
  }).catch(() => undefined);
  return res?.status ?? 0;
}

const OUTAGE_MS = 6000;
const SECOND_MESSAGE = "Ещё вопрос без базы";
const DURING_TIMEOUT_MS = 20_000;

interface DuringOutage {
  answer: TurnRecord;
  cabinet: number;
  fresh: TurnRecord;
  second: TurnRecord;
}

/** Takes the database down while a reply streams, tries the app meanwhile, and always brings it back. */
async function throughOutage(ctx: Ctx, visitor: string, dialogId: string): Promise<DuringOutage> {
  const running = turn(ctx, visitor, "Расскажите подробно [[script:slow]]", dialogId);
  await sleep(600); // the first tokens are out and the user message has gone to Postgres
  await ctx.db.down();
  const downAt = Date.now();
  try {
    const cabinet = await cabinetRead(ctx, DURING_TIMEOUT_MS);
    const answer = await running;
    const fresh = await turn(ctx, `${visitor}-new`, "Новый диалог без базы [[script:ok]]", undefined, {
      timeoutMs: DURING_TIMEOUT_MS,
    });
    const second = await turn(ctx, visitor, `${SECOND_MESSAGE} [[script:ok]]`, dialogId, {
      timeoutMs: DURING_TIMEOUT_MS,
    });
    return { answer, cabinet, fresh, second };
  } finally {
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await ctx.db.up();
    say(`database back after ${((Date.now() - downAt) / 1000).toFixed(1)} s`);
  }
}

async function postgresRestart(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  const visitor = `faults-pg-${Date.now().toString(36)}`;
  const dialogId = await warmDialog(ctx, visitor);
  const outageStart = Date.now();
  const during = await throughOutage(ctx, visitor, dialogId);
  const upAt = Date.now();
  checks.expect(during.answer.end === "done", `the running answer: ${describeTurn(during.answer)}`);
  checks.expect(during.second.end === "done", `a turn during the outage: ${describeTurn(during.second)}`);
  checks.expect(
    during.cabinet === 503 || !ctx.owner,
    `cabinet read during the outage answered ${during.cabinet || "nothing"} (expected 503)`,
  );
  const complete = (r: StoredMessage[]) => r.length === 6 && r.every((m) => m.status === "complete");
  const { rows, ms } = await waitStored(ctx, dialogId, complete, 60_000);
  checks.expect(complete(rows), `stored 60 s after the restart: ${describeRows(rows)}`);
  checks.expect(alternates(rows), "stored order broken");
  const freshRows = during.fresh.dialogId
    ? (await waitStored(ctx, during.fresh.dialogId, (r) => r.length === 2, 30_000)).rows
    : [];
  checks.expect(
    freshRows.length === 2,
    `new dialog of the outage: ${freshRows.length} rows in Postgres 30 s later`,
  );
  const after = await cabinetRead(ctx);
  checks.expect(after === 200 || !ctx.owner, `cabinet read after the restart answered ${after}`);
  const next = await nextTurnWorks(ctx, checks, visitor, dialogId);
  const final = await storedMessages(ctx, dialogId);
  const secondKept = final.some((m) => m.role === "user" && m.content.startsWith(SECOND_MESSAGE));
  checks.expect(
    secondKept || during.second.status !== 200,
    "the turn accepted during the outage (`meta` sent) was lost: its user message is not stored even after the next turn synced the dialog",
  );
  const outage = ((upAt - outageStart - 600) / 1000).toFixed(1);
  const how = ctx.db.mode === "postgres" ? "proxy cut" : "server process restarted";
  return {
    scenario: `Postgres restart during a chat (${ctx.db.mode}: ${how}, down ${outage} s)`,
    sees:
      `running answer: ${describeTurn(during.answer)}; a new dialog during the outage: ${describeTurn(during.fresh)}; ` +
      `another turn in the same dialog during the outage: ${describeTurn(during.second)}; ` +
      `cabinet read during the outage: ${during.cabinet || "no answer"}, after: ${after || "no answer"}`,
    stored:
      `the dialog in Postgres ${complete(rows) ? `complete and in order ${(ms / 1000).toFixed(1)} s after the database came back` : `after 60 s: ${describeRows(rows)}`}; ` +
      `new dialog of the outage: ${freshRows.length} rows 30 s after; ` +
      `the turn sent in the same dialog during the outage: ${secondKept ? "stored" : "LOST (not in Postgres even after the next turn's sync)"}`,
    next,
    problems: checks.problems,
  };
}

// ---------------------------------------------------------------- client disconnect

async function clientDisconnect(ctx: Ctx): Promise<Outcome> {
  const checks = new Checks();
  const visitor = `faults-gone-${Date.now().toString(36)}`;
  const dialogId = await warmDialog(ctx, visitor);
  const cut = await turn(ctx, visitor, "Долгий вопрос [[script:long]]", dialogId, { abortAfterTokens: 3 });
  checks.expect(
    cut.end === "aborted" && cut.tokens === 3,
    `the client read ${cut.tokens} tokens, ${cut.end}`,
  );
  const { rows, ms } = await waitStored(
    ctx,
    dialogId,
    (r) => r.length === 4 && last(r)?.status === "complete",
  );
  checks.expect(
    last(rows)?.content === LONG_REPLY && last(rows)?.status === "complete",
    `stored: ${describeRows(rows)}`,
  );
  const resumed = await fetch(
    `${ctx.stack.baseUrl}/api/v1/tenants/${DEMO}/chat/${dialogId}/stream?user_id=${encodeURIComponent(visitor)}&last_event_id=0`,
  );
  const replay = await readAll(resumed);
  const resumedEnd = replay.events[replay.events.length - 1]?.event;
  checks.expect(
    resumed.status === 200 && resumedEnd === "done" && replay.text === LONG_REPLY,
    "resume did not replay the whole answer",
  );
  const requests = await modelRequests(ctx, "long");
  checks.expect(requests === 1, `the model was asked ${requests} times`);
  const next = await nextTurnWorks(ctx, checks, visitor, dialogId);
  return {
    scenario: "Client disconnects mid-stream (fetch aborted after 3 tokens)",
    sees: `3 token events, then the tab is gone; on reconnect (GET …/stream, Last-Event-ID 0): ${replay.events.filter((e) => e.event === "token").length} token events + \`${resumedEnd}\`, the whole answer`,
    stored: `assistant complete with the whole answer (${[...LONG_REPLY].length} chars) ${(ms / 1000).toFixed(1)} s after the hang-up; model asked ${requests}×`,
    next,
    problems: checks.problems,
  };
}

// ---------------------------------------------------------------- running and reporting

async function registerScripts(ctx: Ctx): Promise<void> {
  await registerScript(ctx, "ok", { reply: OK_REPLY, chunkSize: 4, delayMs: 5 });
  await registerScript(ctx, "drop", {
    reply: "Ответ оборвётся на середине, дальше ничего.",
    chunkSize: 4,
    delayMs: 20,
    dropAfterChunks: 3,
  });
  await registerScript(ctx, "r429", { status: 429, retryAfter: 7 });
  await registerScript(ctx, "r500", { status: 500 });
  await registerScript(ctx, "stall", {
    reply: "Модель замолчит после двух кусков.",
    chunkSize: 4,
    delayMs: 10,
    stallAfterChunks: 2,
  });
  await registerScript(ctx, "slow", {
    reply: "Медленный ответ, пока база перезапускается. ".repeat(6),
    chunkSize: 4,
    delayMs: 50,
  });
  await registerScript(ctx, "long", { reply: LONG_REPLY, chunkSize: 4, delayMs: 40 });
}

/** [id for FAULTS_ONLY, name, run] */
type Scenario = [string, string, (ctx: Ctx) => Promise<Outcome>];

const SCENARIOS: Scenario[] = [
  ["smtp-signup", "SMTP down during tenant sign-up", smtpDownSignUp],
  ["smtp-register", "SMTP down during member registration", smtpDownRegistration],
  [
    "model-drop",
    "Model drops the connection mid-stream",
    (ctx) =>
      modelFault(ctx, {
        scenario: "Model drops the connection mid-stream (after 3 chunks)",
        script: "drop",
        expectCodes: ["upstream_error", "service_unavailable"],
        expectTokens: true,
      }),
  ],
  [
    "model-429",
    "Model answers 429",
    (ctx) =>
      modelFault(ctx, {
        scenario: "Model answers 429 (Retry-After: 7)",
        script: "r429",
        expectCodes: ["rate_limited"],
        expectTokens: false,
        jsonStatus: 429,
      }),
  ],
  [
    "model-500",
    "Model answers 500",
    (ctx) =>
      modelFault(ctx, {
        scenario: "Model answers 500",
        script: "r500",
        expectCodes: ["service_unavailable"],
        expectTokens: false,
        jsonStatus: 503,
      }),
  ],
  ["client-disconnect", "Client disconnects mid-stream", clientDisconnect],
  ["pg-restart", "Postgres restart during a chat", postgresRestart],
  [
    "model-stall",
    "Model stalls past the idle timeout",
    (ctx) =>
      modelFault(ctx, {
        scenario: "Model stalls past the 30 s idle timeout (after 2 chunks, connection kept open)",
        script: "stall",
        expectCodes: ["service_unavailable"],
        expectTokens: true,
      }),
  ],
];

async function runScenario(ctx: Ctx, [, name, run]: Scenario): Promise<Outcome> {
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
  const db = await startDb();
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
  const only = process.env.FAULTS_ONLY?.split(",").map((x) => x.trim());
  for (const scenario of SCENARIOS) {
    if (only && !only.includes(scenario[0])) continue;
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
