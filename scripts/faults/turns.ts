/**
 * Chat turns for the fault scenarios: the fake model's scripts (a `[[script:ID]]` tag in a message picks
 * one), a turn against the demo tenant, how a turn looked to the user, and the "next turn works" check.
 */
import { chatTurn, type TurnRecord } from "../lib/chat-client.ts";
import { alternates, type Checks, type Ctx, DEMO, describeRows, last, waitStored } from "./context.ts";

export const OK_REPLY = "Готово, всё работает.";
export const LONG_REPLY =
  "Длинный ответ, который продолжает писаться после того, как посетитель ушёл. ".repeat(2);

async function registerScript(ctx: Ctx, id: string, script: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${ctx.stack.modelUrl}/__scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, script }),
  });
  if (!res.ok) throw new Error(`model script ${id}: ${res.status}`);
}

/** Every model script the scenarios use, registered with the fake model once per run. */
export async function registerScripts(ctx: Ctx): Promise<void> {
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

/** How many requests the fake model got for script `id`. */
export async function modelRequests(ctx: Ctx, id: string): Promise<number> {
  const res = await fetch(`${ctx.stack.modelUrl}/__requests?script=${id}`);
  return ((await res.json()) as unknown[]).length;
}

export function errorCode(turn: TurnRecord): string {
  const data = turn.error as { code?: string; message?: string; error?: { code?: string } } | undefined;
  return data?.code ?? data?.error?.code ?? (typeof turn.error === "string" ? turn.error : "");
}

/** What the user saw of a turn, in a few words for the report. */
export function describeTurn(turn: TurnRecord): string {
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

/** One SSE chat turn with the demo tenant, new dialog unless `dialogId` is given. */
export function turn(
  ctx: Ctx,
  visitor: string,
  message: string,
  dialogId?: string,
  opts: { abortAfterTokens?: number; timeoutMs?: number } = {},
) {
  return chatTurn(
    `${ctx.stack.baseUrl}/api/v1/tenants/${DEMO}/chat`,
    { user_id: visitor, message, ...(dialogId ? { dialog_id: dialogId } : { new_dialog: true }) },
    { timeoutMs: opts.timeoutMs ?? 60_000, ...opts },
  );
}

/** A dialog with one answered turn, stored in Postgres. */
export async function warmDialog(ctx: Ctx, visitor: string): Promise<string> {
  const first = await turn(ctx, visitor, "Здравствуйте [[script:ok]]");
  if (first.end !== "done" || !first.dialogId) throw new Error(`opening a dialog: ${describeTurn(first)}`);
  await waitStored(ctx, first.dialogId, (rows) => rows.length === 2);
  return first.dialogId;
}

/** The next turn in the dialog: answered completely and stored right after. */
export async function nextTurnWorks(
  ctx: Ctx,
  checks: Checks,
  visitor: string,
  dialogId: string,
): Promise<string> {
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
