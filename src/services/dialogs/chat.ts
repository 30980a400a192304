/**
 * The Worker side of a chat turn: picks the dialog's Durable Object and hands it the turn. No database
 * work happens here; the dialog object and the tenant cache hold what a turn needs.
 */
import type { Channel, TurnInput, TurnResult } from "../../chat/dialog-contract.ts";
import type { Bindings } from "../../env.ts";
import { AppError, type ErrorCode } from "../../errors.ts";
import { currentLogContext } from "../../lib/log.ts";

export interface ChatTurnRequest {
  tenantId: string;
  channel: Channel;
  visitorId: string;
  userId?: string | null;
  message: string;
  dialogId?: string | undefined;
  /** Start the dialog when `dialogId` names none yet (channels that derive stable ids, e.g. Telegram). */
  createIfMissing?: boolean;
  /** The message's Turnstile token and the client's address (the tenant may check every Nth message). */
  turnstileToken?: string | undefined;
  remoteIp?: string | undefined;
  /** Sent with the tenant's `chat` API key (a server, not a person). */
  server?: boolean | undefined;
}

function turnInput(req: ChatTurnRequest): TurnInput {
  return {
    tenantId: req.tenantId,
    channel: req.channel,
    visitorId: req.visitorId,
    userId: req.userId ?? null,
    message: req.message,
    dialogId: req.dialogId ?? crypto.randomUUID(),
    create: req.createIfMissing ?? req.dialogId === undefined,
    turnstileToken: req.turnstileToken,
    remoteIp: req.remoteIp,
    server: req.server,
    requestId: currentLogContext().requestId,
  };
}

function refusal(result: { code: ErrorCode; message: string; retryAfter?: number }): AppError {
  return new AppError(
    result.code,
    result.message,
    result.retryAfter === undefined ? undefined : { retryAfter: result.retryAfter },
  );
}

/** Starts a turn and returns its SSE stream; refusals (unknown dialog, full queue) throw. */
export async function startChatTurn(
  env: Bindings,
  req: ChatTurnRequest,
): Promise<ReadableStream<Uint8Array>> {
  const input = turnInput(req);
  const started = await env.DIALOGS.getByName(input.dialogId).startTurn(input);
  if (!started.ok) throw refusal(started);
  return started.stream;
}

/** Runs a turn to its end and returns the reply (the JSON chat). */
export async function sendChatTurn(
  env: Bindings,
  req: ChatTurnRequest,
): Promise<Extract<TurnResult, { ok: true }>> {
  const input = turnInput(req);
  const result = (await env.DIALOGS.getByName(input.dialogId).sendTurn(input)) as TurnResult;
  if (!result.ok) throw refusal(result);
  return result;
}

/** Stops the running turn of a dialog (the visitor's deliberate stop). */
export async function stopChatTurn(
  env: Bindings,
  tenantId: string,
  dialogId: string,
  visitorId: string,
): Promise<boolean> {
  const { stopped } = await env.DIALOGS.getByName(dialogId).stop(tenantId, visitorId);
  return stopped;
}

/** Reconnects to the latest answer of a dialog after the event `afterId` (SSE resume). */
export async function resumeChatTurn(
  env: Bindings,
  tenantId: string,
  dialogId: string,
  visitorId: string,
  afterId: number,
): Promise<ReadableStream<Uint8Array>> {
  const resumed = await env.DIALOGS.getByName(dialogId).resume(tenantId, visitorId, afterId);
  if (!resumed.ok) throw refusal(resumed);
  return resumed.stream;
}

/** The JSON body of a finished turn (`/chat/message`, `/admin/chat/message`). */
export function chatReplyBody(result: Extract<TurnResult, { ok: true }>) {
  return {
    reply: result.reply,
    dialog_id: result.dialogId,
    message_id: result.messageId,
    status: result.status,
    commands: result.commands,
  };
}
