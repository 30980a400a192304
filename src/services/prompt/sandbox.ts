/**
 * The sandbox (docs/cabinet.md "Draft and publish"): the owner talks to the visitor bot as the draft would
 * make it, before publishing. Stateless: the cabinet sends the conversation so far with each message, and
 * nothing lands in dialogs, leads, webhooks or the visitor counters. The model's usage is written to
 * `usage_daily` under the owner's own sandbox id (`sandboxUsageId`), so the tokens count as the owner's.
 * The answer streams with the chat protocol's events (`thinking`, `token`, `command`, `done` or `error`,
 * then `[DONE]`), commands run as on the web channel.
 */
import type { BlockOutcome } from "../../chat/dialog-contract.ts";
import type { ParsedBlock } from "../../chat/execute-detector.ts";
import { encodeSse, SSE_DONE, SSE_PING } from "../../chat/sse-format.ts";
import { runModelTurn } from "../../chat/turn-runner.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import type { ChatMessage, ChatModel, ChatRequest, Usage } from "../../llm/client.ts";

/** What a sandbox turn needs from outside: the model, the command runner, and where usage goes. */
export interface SandboxDeps {
  model: ChatModel;
  runBlock: (block: ParsedBlock | null) => Promise<BlockOutcome>;
  recordUsage: (usage: Usage) => Promise<void>;
  maxBlocks: number;
  logContext: Record<string, unknown>;
  /** Called once when the answer ended, however it ended (closes what the commands opened). */
  onEnd?: () => Promise<void>;
  pingMs?: number;
}

/** One sandbox message: the draft's system prompt, the conversation so far, the owner's new message. */
export interface SandboxTurn {
  systemPrompt: string;
  history: ChatMessage[];
  message: string;
  /** Model, thinking, length and temperature as the visitor chat would send them. */
  options: Omit<ChatRequest, "messages">;
}

const PING_MS = 15_000;

/** The model request: system prompt, earlier turns (empty answers left out), the new message verbatim. */
export function sandboxRequest(turn: SandboxTurn): ChatRequest {
  const messages: ChatMessage[] = [{ role: "system", content: turn.systemPrompt }];
  for (const m of turn.history) if (m.content !== "") messages.push({ role: m.role, content: m.content });
  messages.push({ role: "user", content: turn.message });
  return { ...turn.options, messages };
}

/**
 * The usage row id of an owner's sandbox: a UUID derived from the tenant and the user, so every sandbox
 * turn of one owner adds to one row per day, and no dialog ever has it.
 */
export async function sandboxUsageId(tenantId: string, userId: string): Promise<string> {
  const h = await sha256Hex(`cip-sandbox:${tenantId}:${userId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Streams one sandbox answer as server-sent events; stops the model when the reader goes away. */
export function sandboxStream(deps: SandboxDeps, turn: SandboxTurn): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let timer: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (chunk: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          open = false;
        }
      };
      timer = setInterval(() => send(SSE_PING), deps.pingMs ?? PING_MS);
      try {
        const outcome = await runModelTurn(
          {
            model: deps.model,
            runBlock: deps.runBlock,
            onToken: (text) => send(encodeSse("token", { content: text })),
            onCommand: (record) => send(encodeSse("command", record)),
            onThinking: () => send(encodeSse("thinking", {})),
            signal: abort.signal,
            maxBlocks: deps.maxBlocks,
            logContext: { ...deps.logContext, sandbox: true },
          },
          sandboxRequest(turn),
        );
        if (outcome.usage) {
          await deps.recordUsage(outcome.usage).catch((err: unknown) =>
            log("error", "sandbox usage not recorded", {
              ...deps.logContext,
              error: err instanceof Error ? err.message : String(err),
            }),
          );
        }
        if (outcome.error) send(encodeSse("error", outcome.error));
        else {
          send(
            encodeSse("done", {
              sandbox: true,
              status: outcome.status,
              usage: outcome.usage,
              reply: outcome.content,
              commands: outcome.commands,
            }),
          );
        }
        send(SSE_DONE);
      } finally {
        clearInterval(timer);
        await deps.onEnd?.().catch(() => {});
        if (open) controller.close();
      }
    },
    cancel() {
      clearInterval(timer);
      abort.abort();
    },
  });
}
