/**
 * What every fault scenario shares: the running stack and database (Ctx), the shape of a result (Outcome),
 * the expectation collector (Checks), and reads of the dialog rows straight from Postgres.
 */
import pg from "pg";
import type { DevStack } from "../lib/dev-stack.ts";
import type { SmtpSink } from "../lib/smtp-sink.ts";
import type { FaultDb } from "./database.ts";

/** The demo tenant every chat scenario talks to (it comes from a migration). */
export const DEMO = "00000000-0000-4000-8000-000000000001";

export interface Ctx {
  stack: DevStack;
  db: FaultDb;
  smtpPort: number;
  sinkApiPort: number;
  sink: SmtpSink | undefined;
  /** The owner made in the first scenario, for cabinet reads later. */
  owner: { tenantId: string; token: string } | undefined;
}

/** One row of the results table in docs/faults.md, plus the failed expectations. */
export interface Outcome {
  scenario: string;
  sees: string;
  stored: string;
  next: string;
  problems: string[];
}

/** A scenario of the run; `id` is what FAULTS_ONLY lists. */
export interface Scenario {
  id: string;
  name: string;
  run(ctx: Ctx): Promise<Outcome>;
}

export const say = (msg: string) => console.log(`[faults] ${msg}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects failed expectations instead of stopping at the first one. */
export class Checks {
  readonly problems: string[] = [];
  expect(ok: boolean, what: string): boolean {
    if (!ok) this.problems.push(what);
    return ok;
  }
}

/** One query on a connection of its own (the app's pool is not ours to use). */
export async function query<T extends pg.QueryResultRow>(
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

export interface StoredMessage {
  seq: number;
  role: string;
  status: string;
  content: string;
}

export function storedMessages(ctx: Ctx, dialogId: string): Promise<StoredMessage[]> {
  return query<StoredMessage>(
    ctx.db.directUrl,
    "select seq, role, status, content from messages where dialog_id = $1 order by seq",
    [dialogId],
  );
}

/** Polls Postgres until the dialog's rows satisfy `done` (or `timeoutMs` passes); returns the last read. */
export async function waitStored(
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

export const last = (rows: StoredMessage[]) => rows[rows.length - 1];
/** Stored order is user, assistant, user, assistant, ... with seq 1, 2, 3, ... */
export const alternates = (rows: StoredMessage[]) =>
  rows.every((r, i) => r.seq === i + 1 && r.role === (i % 2 === 0 ? "user" : "assistant"));
export const describeRows = (rows: StoredMessage[]) =>
  rows
    .map((r) => `${r.role} ${r.status}${r.role === "assistant" ? ` (${[...r.content].length} chars)` : ""}`)
    .join(", ");
