/**
 * The model's answer to one turn: the request from the tenant's prompt and the dialog's history, the
 * stream through the engine (tokens, command blocks, thinking), the partial answer saved as it grows, the
 * final answer stored, and its usage counted against the budget. Never throws for a model failure; a bug
 * ends the turn with `internal_error` and an honest stored status.
 */
import { turnModelOptions } from "../chat/model-settings.ts";
import { runModelTurn } from "../chat/turn-runner.ts";
import { runBlock } from "../commands/registry.ts";
import { modelConfig } from "../config.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { createChatModel } from "../llm/factory.ts";
import { type AdmissionLease, reportPending } from "./budget-client.ts";
import type { DialogStore } from "./dialog-store.ts";
import { message, type Turn } from "./dialog-turn.ts";
import { buildModelRequest } from "./model-request.ts";
import { turnCommands } from "./turn-commands.ts";

export const MAX_BLOCKS_PER_TURN = 3;
const SAVE_PARTIAL_EVERY_MS = 1000;

export interface AnswerDeps {
  env: Bindings;
  ctx: DurableObjectState;
  store: DialogStore;
  admission: AdmissionLease;
  /** Called on the first token: the user message then goes to Postgres. */
  syncSoon: () => void;
}

export async function answerTurn(deps: AnswerDeps, turn: Turn, userSeq: number): Promise<void> {
  const { syncSoon } = deps;
  const history = deps.store.history(24_000, 40);
  const request = {
    ...buildModelRequest(turn.snapshot, turn.input.channel, history),
    ...turnModelOptions(turn.snapshot.settings, turn.input.channel, deps.env),
  };
  const answer = message(userSeq + 1, turn.messageId, "assistant", "", "streaming", Date.now());
  deps.store.putMessage(answer);
  let lastSave = Date.now();
  const commands = turnCommands(deps.env, turn.snapshot, {
    tenantId: turn.input.tenantId,
    channel: turn.input.channel,
    userId: turn.input.userId ?? null,
  });
  try {
    const outcome = await runModelTurn(
      {
        model: createChatModel(modelConfig(deps.env)),
        runBlock: (block) => runBlock(commands.context, block),
        onToken: (text) => {
          // `content`, as the original backend named it: its clients read only that key.
          turn.log.push("token", { content: text });
          syncSoon();
          answer.content += text;
          if (Date.now() - lastSave > SAVE_PARTIAL_EVERY_MS) {
            deps.store.putMessage(answer);
            lastSave = Date.now();
          }
        },
        onCommand: (record) => turn.log.push("command", record),
        // Only that thinking started: the reasoning itself never leaves the model client.
        onThinking: () => turn.log.push("thinking", {}),
        onModelOpen: turn.markStarted,
        signal: turn.abort.signal,
        maxBlocks: MAX_BLOCKS_PER_TURN,
        logContext: { tenantId: turn.input.tenantId, dialogId: turn.input.dialogId },
      },
      request,
    );
    const usage = outcome.usage ? { ...outcome.usage } : null;
    deps.store.putMessage({
      ...answer,
      content: outcome.content,
      commands: outcome.commands,
      status: outcome.status,
      usage,
    });
    if (outcome.error) turn.log.push("error", outcome.error);
    else {
      turn.log.push("done", {
        dialog_id: turn.input.dialogId,
        message_id: turn.messageId,
        status: outcome.status,
        usage,
        reply: outcome.content,
        commands: outcome.commands,
      });
    }
    if (usage) {
      const tokens = usage.promptTokens + usage.completionTokens;
      deps.admission.spend(tokens);
      await reportPending(deps.env, turn.snapshot, turn.input.tenantId, {
        messageId: turn.messageId,
        createdAt: answer.createdAt,
        tokens,
      });
    }
  } catch (err) {
    // Only a bug lands here (the runner reports model failures itself); keep the turn's record honest.
    log("error", "dialog turn crashed", {
      dialogId: turn.input.dialogId,
      error: err instanceof Error ? err.message : String(err),
    });
    deps.store.putMessage({ ...answer, status: answer.content ? "partial" : "failed" });
    turn.log.push("error", { code: "internal_error", message: "Something went wrong on our side." });
  } finally {
    deps.ctx.waitUntil(commands.close());
  }
}
