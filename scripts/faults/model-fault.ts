/**
 * The shape every model fault shares: one failing model turn in a warm dialog, then checks of the `error`
 * event, the stored answer, the JSON route (when asked), that the model was not retried, and the next turn.
 */
import { api } from "../lib/api-accounts.ts";
import { Checks, type Ctx, DEMO, last, type Outcome, waitStored } from "./context.ts";
import { describeTurn, errorCode, modelRequests, nextTurnWorks, turn, warmDialog } from "./turns.ts";

export interface ModelFault {
  /** The scenario as the report names it. */
  scenario: string;
  /** The fake model's script that makes the fault (see registerScripts). */
  script: string;
  /** Error codes the `error` event may carry. */
  expectCodes: string[];
  expectTokens: boolean;
  /** The JSON route's expected HTTP status for the same failure, when checked. */
  jsonStatus?: number;
}

export async function modelFault(ctx: Ctx, opts: ModelFault): Promise<Outcome> {
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
