/**
 * FAULTS_ONLY=pg-restart: the database goes down while a reply streams and comes back OUTAGE_MS later
 * (how depends on FAULTS_DB, see database.ts). Turns during the outage must be answered and reach Postgres
 * after it, cabinet reads must get 503 meanwhile, and nothing may be lost.
 */
import { api } from "../lib/api-accounts.ts";
import type { TurnRecord } from "../lib/chat-client.ts";
import {
  alternates,
  Checks,
  type Ctx,
  describeRows,
  type Outcome,
  type Scenario,
  type StoredMessage,
  say,
  sleep,
  storedMessages,
  waitStored,
} from "./context.ts";
import { describeTurn, nextTurnWorks, turn, warmDialog } from "./turns.ts";

const OUTAGE_MS = 6000;
const SECOND_MESSAGE = "Ещё вопрос без базы";
const DURING_TIMEOUT_MS = 20_000;

/** Status of a cabinet read by the owner (0 when there is no owner or no answer in `timeoutMs`). */
async function cabinetRead(ctx: Ctx, timeoutMs = 30_000): Promise<number> {
  if (!ctx.owner) return 0;
  const res = await api(ctx.stack.baseUrl, `/tenants/${ctx.owner.tenantId}/me/dialogs?limit=5`, {
    token: ctx.owner.token,
    timeoutMs,
  }).catch(() => undefined);
  return res?.status ?? 0;
}

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

export const pgRestart: Scenario = {
  id: "pg-restart",
  name: "Postgres restart during a chat",
  run: postgresRestart,
};
