/**
 * The pure parts of accepting a turn in the dialog object: whether the caller may add one to this dialog,
 * the dialog's metadata on its first turn, the new turn, and the JSON answer once it ended.
 */
import type { DialogMeta, TurnInput, TurnResult, TurnStart } from "../chat/dialog-contract.ts";
import { EventLog } from "../chat/event-log.ts";
import type { CommandRecord } from "../chat/turn-runner.ts";
import type { ErrorCode } from "../errors.ts";
import { unavailableText } from "../services/platform/visitor-gate.ts";
import type { Turn } from "./dialog-turn.ts";
import type { TenantSnapshot } from "./tenant-object.ts";

/** Turns waiting behind the running one, per dialog; beyond it a send is refused with 429. */
export const MAX_QUEUED_TURNS = 8;

/** A refused turn, as the RPC answers it (with `retryAfter` when it is worth retrying). */
export type TurnRefusal = Extract<TurnStart, { ok: false }>;

/**
 * Why `input` may not be added: another tenant's, channel's or visitor's dialog, one that does not exist
 * and may not be created, or a full queue (`queued` counts the running turn too). Null when it may.
 */
export function acceptRefusal(meta: DialogMeta | null, input: TurnInput, queued: number): TurnRefusal | null {
  if (
    meta &&
    (meta.tenantId !== input.tenantId || meta.channel !== input.channel || meta.visitorId !== input.visitorId)
  ) {
    return { ok: false, code: "not_found", message: "No such dialog." };
  }
  if (!meta && !input.create) return { ok: false, code: "not_found", message: "No such dialog." };
  if (queued >= MAX_QUEUED_TURNS + 1) {
    return {
      ok: false,
      code: "rate_limited",
      message: "Too many messages at once in this dialog.",
      retryAfter: 2,
    };
  }
  return null;
}

/**
 * Why no turn may run for a tenant the platform operator blocked (docs/operator.md), null when it is
 * not blocked. Visitors are refused before the dialog object already (visitor-gate.ts); this covers every
 * channel, the owner's setup chat included, so no model call is made for a blocked tenant. The setup
 * chat's owner hears 403 `tenant_blocked` as at sign-in; any other channel the visitor's "unavailable".
 */
export function blockedRefusal(snapshot: TenantSnapshot, input: TurnInput): TurnRefusal | null {
  if (snapshot.settings.blocked !== true) return null;
  if (input.channel === "admin") {
    return {
      ok: false,
      code: "tenant_blocked",
      message: "This account is blocked by the platform. Contact support.",
    };
  }
  return {
    ok: false,
    code: "tenant_unavailable",
    message: unavailableText(snapshot.locale === "en" ? "en" : "ru"),
  };
}

/** The dialog's metadata, written by its first turn. */
export function newDialogMeta(input: TurnInput): DialogMeta {
  return {
    dialogId: input.dialogId,
    tenantId: input.tenantId,
    channel: input.channel,
    visitorId: input.visitorId,
    userId: input.userId ?? null,
    createdAt: Date.now(),
  };
}

/** A turn just accepted, its stream opened with the `meta` event; `pending` when it waits behind another. */
export function newTurn(input: TurnInput, snapshot: TenantSnapshot, pending: boolean): Turn {
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const turn: Turn = {
    input,
    userMessageId: crypto.randomUUID(),
    messageId: crypto.randomUUID(),
    log: new EventLog(),
    snapshot,
    abort: new AbortController(),
    pending,
    started,
    markStarted,
  };
  turn.log.push("meta", {
    dialog_id: input.dialogId,
    message_id: turn.messageId,
    user_message_id: turn.userMessageId,
  });
  return turn;
}

/** The JSON form of a turn once its stream ended: the reply, or the error the stream carried. */
export async function turnResult(turn: Turn): Promise<TurnResult> {
  const last = await turn.log.finished();
  const ids = { dialogId: turn.input.dialogId, messageId: turn.messageId };
  if (last.event === "error") {
    const data = last.data as { code: ErrorCode; message: string; retry_after?: number };
    const retry = data.retry_after === undefined ? {} : { retryAfter: data.retry_after };
    return { ok: false, code: data.code, message: data.message, ...retry, ...ids };
  }
  const done = last.data as { reply: string; status: string; commands: CommandRecord[] };
  return { ok: true, ...ids, reply: done.reply, status: done.status, commands: done.commands };
}
