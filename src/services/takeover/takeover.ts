/**
 * Human takeover from the cabinet, the Worker side: checks the dialog in Postgres (the caller's tenant,
 * never another's), hands the action to the dialog's Durable Object (the single writer, where the state
 * lives so a visitor's turn needs no database), and delivers operator replies to Telegram chats.
 * Owners only: members are registered visitors, not staff (the routes require the owner role).
 * The request's transaction is committed before the object is called: the object writes to Postgres
 * (its sync) while the call waits, and must never wait on a session this request still holds.
 */
import { and, eq, sql } from "drizzle-orm";
import type {
  FeedStart,
  Operator,
  OperatorReply,
  Refusal,
  TakeoverReply,
  TakeoverState,
} from "../../chat/dialog-contract.ts";
import type { Database } from "../../db/client.ts";
import { dialogs, telegramBots, users } from "../../db/schema.ts";
import type { AuthContext, Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { cabinetMessage } from "../dialogs/dialog-message.ts";
import type { DialogMessage } from "../dialogs/dialogs-read.ts";
import { sendOperatorReply } from "../telegram/operator-reply.ts";

export interface TakeoverView {
  dialog_id: string;
  taken_over: boolean;
  taken_over_by: string | null;
  taken_over_at: string | null;
}

export interface OperatorReplyView {
  message: DialogMessage;
  delivery: "live" | "stored" | "sent" | "failed";
  takeover: TakeoverView;
}

/** The request's database and the commit of its transaction (`c.var.db()`, `c.var.commit`). */
export interface RequestDb {
  db: Database;
  commit: () => Promise<void>;
}

interface TargetDialog {
  channel: "web" | "telegram" | "admin";
  visitorId: string;
  operator: Operator;
  /** The tenant's bot (encrypted token) for a Telegram dialog's replies; null when none is connected. */
  botTokenEncrypted: string | null;
}

/**
 * The caller's tenant's dialog (404 otherwise) and the caller as an operator, in one round trip; the
 * transaction is committed afterwards, before the dialog's object is called.
 */
async function target({ db, commit }: RequestDb, auth: AuthContext, dialogId: string): Promise<TargetDialog> {
  const [row] = await db
    .select({
      channel: dialogs.channel,
      visitorId: dialogs.visitorId,
      name: sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${auth.userId}
        and ${users.tenantId} = ${auth.tenantId})`,
      bot: sql<string | null>`(select ${telegramBots.botTokenEncrypted} from ${telegramBots}
        where ${telegramBots.tenantId} = ${auth.tenantId} and ${dialogs.channel} = 'telegram')`,
    })
    .from(dialogs)
    .where(and(eq(dialogs.tenantId, auth.tenantId), eq(dialogs.id, dialogId)))
    .limit(1);
  await commit();
  if (!row) throw new AppError("not_found", "No such dialog.");
  if (row.channel === "admin") {
    throw new AppError("conflict", "The setup chat is the owner's own; it cannot be taken over.");
  }
  const name = row.name?.trim() ? row.name.trim().slice(0, 80) : null;
  return {
    channel: row.channel,
    visitorId: row.visitorId,
    operator: { id: auth.userId, name },
    botTokenEncrypted: row.bot,
  };
}

function refused(result: Refusal): AppError {
  return new AppError(result.code, result.message);
}

function view(dialogId: string, state: TakeoverState | null): TakeoverView {
  return {
    dialog_id: dialogId,
    taken_over: state !== null,
    taken_over_by: state?.by ?? null,
    taken_over_at: state ? new Date(state.at).toISOString() : null,
  };
}

/** The caller takes the dialog over: the model stops answering in it until `releaseDialog`. */
export async function takeOverDialog(
  env: Bindings,
  pg: RequestDb,
  auth: AuthContext,
  dialogId: string,
): Promise<TakeoverView> {
  const { operator } = await target(pg, auth, dialogId);
  // RPC results carry a Disposable intersection that defeats narrowing; the plain types are exact.
  const result = (await env.DIALOGS.getByName(dialogId).takeOver(auth.tenantId, operator)) as TakeoverReply;
  if (!result.ok) throw refused(result);
  return view(dialogId, result.state);
}

/** Hands the dialog back to the model (whoever held it); idempotent. */
export async function releaseDialog(
  env: Bindings,
  pg: RequestDb,
  auth: AuthContext,
  dialogId: string,
): Promise<TakeoverView> {
  await target(pg, auth, dialogId);
  const result = (await env.DIALOGS.getByName(dialogId).release(auth.tenantId)) as TakeoverReply;
  if (!result.ok) throw refused(result);
  return view(dialogId, result.state);
}

/**
 * Stores an operator reply as the dialog's next message (taking the dialog over when nobody holds it)
 * and delivers it: web pages that follow the dialog get it live; a Telegram chat gets it from the bot.
 */
export async function postOperatorMessage(
  env: Bindings,
  pg: RequestDb,
  auth: AuthContext,
  dialogId: string,
  text: string,
): Promise<OperatorReplyView> {
  const dialog = await target(pg, auth, dialogId);
  const stub = env.DIALOGS.getByName(dialogId);
  const result = (await stub.operatorMessage(auth.tenantId, dialog.operator, text)) as OperatorReply;
  if (!result.ok) throw refused(result);
  let delivery: OperatorReplyView["delivery"];
  if (dialog.channel === "telegram") {
    const sent = await sendOperatorReply(
      env,
      auth.tenantId,
      dialog.botTokenEncrypted,
      dialog.visitorId,
      text,
    );
    delivery = sent ? "sent" : "failed";
  } else {
    delivery = result.visitorsOnline > 0 ? "live" : "stored";
  }
  return {
    message: cabinetMessage(result.message),
    delivery,
    takeover: view(dialogId, result.state),
  };
}

/** The cabinet's live feed of a dialog the caller's tenant owns. */
export async function openCabinetFeed(
  env: Bindings,
  pg: RequestDb,
  auth: AuthContext,
  dialogId: string,
  afterSeq: number,
): Promise<ReadableStream<Uint8Array>> {
  await target(pg, auth, dialogId);
  const result = (await env.DIALOGS.getByName(dialogId).cabinetFeed(auth.tenantId, afterSeq)) as FeedStart;
  if (!result.ok) throw refused(result);
  return result.stream;
}

/** The visitor's live feed of its own web dialog (operator replies); no database work. */
export async function openVisitorFeed(
  env: Bindings,
  tenantId: string,
  dialogId: string,
  visitorId: string,
  afterSeq: number,
): Promise<ReadableStream<Uint8Array>> {
  const stub = env.DIALOGS.getByName(dialogId);
  const result = (await stub.visitorFeed(tenantId, visitorId, afterSeq)) as FeedStart;
  if (!result.ok) throw refused(result);
  return result.stream;
}
