/**
 * One model answer: streams the model's text through the EXECUTE detector, runs each complete block the
 * moment it closes (at most `maxBlocks`), puts its result text in the block's place, and reports what
 * happened. It never throws: a model failure ends the turn with a partial or failed status and an error.
 */

import { AppError } from "../errors.ts";
import { log } from "../lib/log.ts";
import type { ChatModel, ChatRequest, Usage } from "../llm/client.ts";
import type { BlockOutcome, CommandRecord } from "./dialog-contract.ts";
import { type DetectorEvent, ExecuteDetector, type ParsedBlock, visibleResult } from "./execute-detector.ts";
import { VisibleTextGuard } from "./visible-text.ts";

export type { CommandRecord };

export interface TurnOutcome {
  content: string;
  commands: CommandRecord[];
  usage: Usage | null;
  status: "complete" | "partial" | "failed" | "stopped";
  error?: { code: string; message: string };
}

export interface TurnDeps {
  model: ChatModel;
  runBlock: (block: ParsedBlock | null) => Promise<BlockOutcome>;
  /** A piece of answer text, as the visitor should see it. */
  onToken: (text: string) => void;
  onCommand: (record: CommandRecord) => void;
  /** The model accepted the request (its response headers arrived); see `StreamHooks.onOpen`. */
  onModelOpen?: () => void;
  /** The model started thinking (its first hidden reasoning arrived); called at most once per turn. */
  onThinking?: () => void;
  signal: AbortSignal;
  maxBlocks: number;
  logContext?: Record<string, unknown>;
}

export async function runModelTurn(deps: TurnDeps, request: ChatRequest): Promise<TurnOutcome> {
  const detector = new ExecuteDetector();
  const commands: CommandRecord[] = [];
  let content = "";
  let usage: Usage | null = null;
  let blocks = 0;
  let thinking = false;

  // Every visible piece, model text and command results alike, passes the tag guard in order.
  const guard = new VisibleTextGuard();
  const release = (piece: string) => {
    if (!piece) return;
    content += piece;
    deps.onToken(piece);
  };
  const text = (piece: string) => release(guard.push(piece));
  const handle = async (events: DetectorEvent[]) => {
    for (const event of events) {
      if (event.type === "text") text(event.text);
      else if (event.type === "unclosed")
        log("warn", "unclosed execute block dropped", { ...deps.logContext });
      else {
        blocks += 1;
        if (blocks > deps.maxBlocks) {
          log("warn", "execute block over the per-turn cap dropped", { ...deps.logContext });
          continue;
        }
        const outcome = await deps.runBlock(event.command);
        if (outcome.kind !== "ran") continue; // refused blocks vanish from the answer
        const record: CommandRecord = {
          name: outcome.name,
          ok: outcome.result.ok,
          result: visibleResult(outcome.result.text),
        };
        if (outcome.result.data !== undefined) record.data = outcome.result.data;
        if (outcome.result.note) record.note = outcome.result.note;
        commands.push(record);
        deps.onCommand(record);
        text(record.result);
      }
    }
  };

  try {
    for await (const event of deps.model.stream(request, deps.signal, { onOpen: deps.onModelOpen })) {
      if (event.type === "text") await handle(detector.push(event.text));
      else if (event.type === "usage") usage = event.usage;
      else if (event.type === "reasoning" && !thinking) {
        thinking = true;
        deps.onThinking?.();
      }
    }
    await handle(detector.flush());
    release(guard.flush());
    return { content, commands, usage, status: "complete" };
  } catch (err) {
    if (deps.signal.aborted) {
      await handle(detector.flush().filter((e) => e.type !== "block"));
      release(guard.flush());
      return { content, commands, usage, status: "stopped" };
    }
    release(guard.flush());
    const appError = err instanceof AppError ? err : new AppError("upstream_error", "The model failed.");
    log("warn", "model turn failed", { ...deps.logContext, code: appError.code, error: appError.message });
    return {
      content,
      commands,
      usage,
      status: content ? "partial" : "failed",
      error: { code: appError.code, message: appError.message },
    };
  }
}
