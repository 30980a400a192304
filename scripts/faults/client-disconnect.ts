/** FAULTS_ONLY=client-disconnect: the visitor's fetch is aborted mid-stream; the answer must still be whole. */
import { readAll } from "../lib/chat-client.ts";
import {
  Checks,
  type Ctx,
  DEMO,
  describeRows,
  last,
  type Outcome,
  type Scenario,
  waitStored,
} from "./context.ts";
import { LONG_REPLY, modelRequests, nextTurnWorks, turn, warmDialog } from "./turns.ts";

async function runClientDisconnect(ctx: Ctx): Promise<Outcome> {
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

export const clientDisconnect: Scenario = {
  id: "client-disconnect",
  name: "Client disconnects mid-stream",
  run: runClientDisconnect,
};
