import { DurableObject } from "cloudflare:workers";
import { adminGreeting, type SetupChatOpen, type SetupChatOpened } from "../chat/admin-greeting.ts";
import type { EraseReply, RatedMessage, TurnInput, TurnResult, TurnStart } from "../chat/dialog-contract.ts";
import type { Bindings } from "../env.ts";
import { withLogContext } from "../lib/log.ts";
import type { TelegramUpdate } from "../schemas/telegram.ts";
import { handleUpdate } from "../services/telegram/update-handler.ts";
import type { WebhookBot } from "../services/telegram/webhook.ts";
import { AdmissionLease, admitTurn } from "./budget-client.ts";
import {
  acceptRefusal,
  blockedRefusal,
  newDialogMeta,
  newTurn,
  type TurnRefusal,
  turnResult,
} from "./dialog-accept.ts";
import { answerTurn } from "./dialog-answer.ts";
import { eraseDialog } from "./dialog-erase.ts";
import { DialogFeed } from "./dialog-feed.ts";
import { humanCheck } from "./dialog-human-check.ts";
import { DialogOutbox } from "./dialog-outbox.ts";
import { SnapshotCache } from "./dialog-snapshot.ts";
import { DialogStore } from "./dialog-store.ts";
import { DialogSyncLoop } from "./dialog-sync-loop.ts";
import {
  type FeedStart,
  type Operator,
  type OperatorReply,
  operatorRefusal,
  release,
  type TakeoverReply,
  takeOver,
  visitorRefusal,
  writeOperatorMessage,
} from "./dialog-takeover.ts";
import { message, silentDone, storeUserMessage, type Turn } from "./dialog-turn.ts";
import { recordVisit } from "./visitor-directory.ts";

export { MAX_QUEUED_TURNS } from "./dialog-accept.ts";
export { MAX_BLOCKS_PER_TURN } from "./dialog-answer.ts";
export type { TurnInput, TurnResult, TurnStart };

/**
 * An answer still running this long after its first token syncs what the dialog has, so the visitor's
 * message reaches Postgres (the cabinet, lead alerts, webhooks) during a long answer; a shorter answer is
 * synced once, at its end (docs/chat-engine.md, "Postgres sync").
 */
const SYNC_WHILE_ANSWERING_MS = 2_000;

/**
 * One object per dialog, the dialog's single writer. It owns each turn from the stored user message to the
 * stored answer, independent of the client connection; turns run one at a time in arrival order (input
 * gates do not hold across the model fetch, so the queue is explicit). Its SQLite storage is the
 * write-ahead record; Postgres gets the rows right after, retried by an alarm until they land.
 */
export class DialogObject extends DurableObject<Bindings> {
  private readonly store: DialogStore;
  /** Owner events (webhooks, lead alerts) recorded with what they report, handed to the tenant's outbox. */
  private readonly outbox: DialogOutbox;
  /** Live readers of operator replies and new messages (visitor pages, the cabinet). */
  private readonly feed = new DialogFeed();
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private current: Turn | undefined;
  /** The tenant's prompt snapshot, kept while its epoch is the tenant object's (dialog-snapshot.ts). */
  private readonly snapshots: SnapshotCache;
  /** The latest turn's events (running or finished), for readers that reconnect (`resume`). */
  private latest: Turn | undefined;
  private readonly syncLoop: DialogSyncLoop;
  /** The tenant object's last admission of this dialog's turns (budget-client.ts). */
  private readonly admission = new AdmissionLease();
  /** Set while `erase` runs: no turn is accepted or started. */
  private erasing = false;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.store = new DialogStore(ctx.storage.sql);
    this.snapshots = new SnapshotCache(env);
    this.outbox = new DialogOutbox(ctx, env, () => this.snapshots.last?.webhookEvents);
    this.syncLoop = new DialogSyncLoop(ctx, env, this.store, this.outbox, () => this.snapshots.last);
    this.store.onFinalMessage = (m) => {
      this.feed.publishMessage(m);
      this.outbox.messageStored(this.store.meta(), m);
    };
    // A turn cut short by an eviction or a crash keeps what it had: partial (or failed) and synced.
    if (this.store.recoverInterrupted() > 0) ctx.waitUntil(this.syncLoop.sync());
  }

  /**
   * Accepts a turn and returns its live SSE stream; the turn runs even if nobody reads it. A turn that
   * runs at once returns when the model has accepted the request (or the turn ended without it): the
   * model request leaves before this answer's own work, which shares the runtime's thread with it
   * (docs/chat-engine.md, "When the stream starts"). A queued turn returns at once.
   */
  startTurn(input: TurnInput): Promise<TurnStart> {
    // The turn's log lines, here and in the work it starts, carry the request id of the HTTP request.
    return withLogContext({ requestId: input.requestId }, async (): Promise<TurnStart> => {
      const accepted = await this.accept(input);
      if (!accepted.ok) return accepted;
      const turn = accepted.turn;
      if (!turn.pending) await turn.started;
      return { ok: true, dialogId: input.dialogId, messageId: turn.messageId, stream: turn.log.subscribe() };
    });
  }

  /** Accepts a turn and waits for its end: the JSON form of the chat. */
  sendTurn(input: TurnInput): Promise<TurnResult> {
    return withLogContext({ requestId: input.requestId }, async (): Promise<TurnResult> => {
      const accepted = await this.accept(input);
      return accepted.ok ? turnResult(accepted.turn) : accepted;
    });
  }

  /**
   * Reconnects a reader to the latest turn after `afterId` (the SSE Last-Event-ID): the rest of a running
   * answer, or the end of a finished one, without running the model again. Only the dialog's visitor may.
   */
  resume(tenantId: string, visitorId: string, afterId: number): TurnStart {
    const meta = this.store.meta();
    const turn = this.latest;
    // Web routes serve web dialogs only: a Telegram chat's answers are not readable through them.
    if (!meta || visitorRefusal(meta, tenantId, visitorId) || !turn) {
      return { ok: false, code: "not_found", message: "No answer to resume in this dialog." };
    }
    return {
      ok: true,
      dialogId: meta.dialogId,
      messageId: turn.messageId,
      stream: turn.log.subscribe(Math.max(0, afterId)),
    };
  }

  /** The deliberate stop: ends the running turn of this visitor, keeping what was said (status stopped). */
  stop(tenantId: string, visitorId: string): { stopped: boolean } {
    if (visitorRefusal(this.store.meta(), tenantId, visitorId) || !this.current) return { stopped: false };
    this.current.abort.abort();
    return { stopped: true };
  }

  /**
   * Answers a Telegram update of this dialog's chat after returning: the turn (through this object's own
   * queue) and the Bot API calls run here, where no response deadline cuts them off.
   */
  telegramUpdate(bot: WebhookBot, update: TelegramUpdate): void {
    this.ctx.waitUntil(handleUpdate(this.env, bot, update));
  }

  /**
   * Hands the dialog to a human operator: the answer being written stops (kept, status stopped) and
   * later visitor turns are stored without calling the model until `release`.
   */
  async takeOver(tenantId: string, operator: Operator): Promise<TakeoverReply> {
    const refused = operatorRefusal(this.store.meta(), tenantId);
    if (refused) return refused;
    const state = takeOver(this.store, this.feed, operator);
    this.current?.abort.abort();
    await this.syncLoop.sync();
    return { ok: true, state };
  }

  /** Gives the dialog back to the model. */
  async release(tenantId: string): Promise<TakeoverReply> {
    const refused = operatorRefusal(this.store.meta(), tenantId);
    if (refused) return refused;
    release(this.store, this.feed);
    await this.syncLoop.sync();
    return { ok: true, state: null };
  }

  /** An operator's reply: the dialog's next message (taking the dialog over if nobody holds it). */
  async operatorMessage(tenantId: string, operator: Operator, text: string): Promise<OperatorReply> {
    const refused = operatorRefusal(this.store.meta(), tenantId);
    if (refused) return refused;
    const holder = this.store.takeover();
    const written = writeOperatorMessage(this.store, this.feed, operator, text);
    if (!holder) this.current?.abort.abort();
    await this.syncLoop.sync();
    return { ok: true, ...written, visitorsOnline: this.feed.visitorCount() };
  }

  /** A message of this dialog the visitor wants to rate (answer feedback): only its own web visitor may. */
  ratedMessage(tenantId: string, visitorId: string, messageId: string): RatedMessage {
    const refused = visitorRefusal(this.store.meta(), tenantId, visitorId);
    if (refused) return refused;
    const found = this.store.messageById(messageId);
    if (!found) return { ok: false, code: "not_found", message: "No such message in this dialog." };
    return { ok: true, role: found.role, status: found.status };
  }

  /** The visitor's live feed (operator replies, takeover state) after the operator reply `afterSeq`. */
  visitorFeed(tenantId: string, visitorId: string, afterSeq: number): FeedStart {
    const refused = visitorRefusal(this.store.meta(), tenantId, visitorId);
    if (refused) return refused;
    const missed = this.store.messagesAfter(afterSeq, true);
    return { ok: true, stream: this.feed.subscribe("visitor", this.store.takeover(), missed) };
  }

  /** The cabinet's live feed: every message after `afterSeq` once final, and the takeover state. */
  cabinetFeed(tenantId: string, afterSeq: number): FeedStart {
    const meta = this.store.meta();
    if (!meta || meta.tenantId !== tenantId)
      return { ok: false, code: "not_found", message: "No such dialog." };
    const missed = this.store.messagesAfter(afterSeq);
    return { ok: true, stream: this.feed.subscribe("cabinet", this.store.takeover(), missed) };
  }

  /**
   * Opens a new setup chat whose first message is the bot's opening question (chat/admin-greeting.ts),
   * stored like an answer and synced before it returns; no model call. Only a dialog not yet started.
   */
  async openSetupChat(input: SetupChatOpen): Promise<SetupChatOpened> {
    if (this.store.meta()) return { ok: false, code: "conflict", message: "The dialog has started already." };
    const snapshot = await this.snapshots.get(input.tenantId);
    if (!snapshot) return { ok: false, code: "tenant_not_found", message: "No such tenant." };
    const now = Date.now();
    const { dialogId, tenantId, visitorId, userId } = input;
    // The setup chat reports nothing to webhooks (dialog-outbox.ts), so no dialog.created is recorded.
    this.store.setMeta({ dialogId, tenantId, channel: "admin", visitorId, userId, createdAt: now });
    const text = adminGreeting(input.locale ?? snapshot.locale, snapshot.chunkCount);
    const greeting = message(this.store.nextSeq(), crypto.randomUUID(), "assistant", text, "complete", now);
    this.store.putMessage(greeting);
    await this.syncLoop.sync();
    return { ok: true, dialogId, messageId: greeting.id, text, createdAt: now };
  }

  /**
   * Contact details the visitor's host page gave (`cip:identify`), stored as this dialog's leads like the
   * ones found in messages (same dedup, `has_lead` kept right) and synced before it returns. Only the
   * dialog's own web visitor may; anyone else gets `ok: false` (the route answers 404).
   */
  async identify(
    tenantId: string,
    visitorId: string,
    leads: Array<{ kind: "email" | "phone"; value: string; raw: string }>,
  ): Promise<{ ok: boolean; added: number }> {
    const meta = this.store.meta();
    if (!meta || meta.tenantId !== tenantId || meta.visitorId !== visitorId || meta.channel !== "web")
      return { ok: false, added: 0 };
    let added = 0;
    for (const lead of leads) if (this.store.addLead(lead.kind, lead.value, lead.raw)) added += 1;
    if (added > 0) await this.syncLoop.sync();
    return { ok: true, added };
  }

  /** The cabinet's delete (dialog-erase.ts): the storage emptied for good, only by the dialog's tenant. */
  async erase(tenantId: string): Promise<EraseReply> {
    const meta = this.store.meta();
    if (meta && meta.tenantId !== tenantId)
      return { ok: false, code: "not_found", message: "No such dialog." };
    this.erasing = true;
    this.current?.abort.abort();
    try {
      const queue = { queued: () => this.queued, chain: () => this.chain };
      await eraseDialog(this.ctx, queue, { store: this.store, outbox: this.outbox, syncLoop: this.syncLoop });
      this.latest = undefined;
    } finally {
      this.erasing = false;
    }
    return { ok: true, channel: meta?.channel ?? null, visitorId: meta?.visitorId ?? null };
  }

  override async alarm(): Promise<void> {
    await this.syncLoop.sync();
  }

  private async accept(input: TurnInput): Promise<{ ok: true; turn: Turn } | TurnRefusal> {
    const refused = acceptRefusal(this.store.meta(), input, this.queued);
    if (refused) return refused;
    // Hold the queue slot across the await below, so a burst cannot all pass the check at once.
    this.queued += 1;
    const runsNow = this.queued === 1;
    // The snapshot's epoch is checked on every turn (dialog-snapshot.ts).
    const snapshot = await this.snapshots.get(input.tenantId);
    if (!snapshot) {
      this.queued -= 1;
      return { ok: false, code: "tenant_not_found", message: "No such tenant." };
    }
    // A tenant the platform operator blocked: no turn, no model call (the epoch check keeps this fresh).
    const blocked = blockedRefusal(snapshot, input);
    if (blocked) {
      this.queued -= 1;
      return blocked;
    }
    const unchecked = await humanCheck(this.env, this.store, input, snapshot);
    if (unchecked || this.erasing) {
      this.queued -= 1;
      return unchecked ?? { ok: false, code: "not_found", message: "No such dialog." };
    }
    if (!this.store.meta()) {
      const created = newDialogMeta(input);
      this.store.setMeta(created);
      this.outbox.dialogCreated(created);
    }
    const turn = newTurn(input, snapshot, !runsNow);
    // Durable from acceptance: a turn queued behind another keeps its message should the object stop.
    // A turn that runs now writes the message itself, in this same synchronous step (see `run`).
    if (turn.pending) this.store.addPending(turn.userMessageId, input.message, Date.now());
    // The visitor's latest dialog, for messages that name none (visitor-directory.ts); off the turn's path.
    if (input.channel === "web") this.ctx.waitUntil(recordVisit(this.env, input, Date.now()));
    this.chain = this.chain
      .then(() => this.run(turn))
      .finally(() => {
        turn.markStarted();
        this.queued -= 1;
      });
    return { ok: true, turn };
  }

  private async run(turn: Turn): Promise<void> {
    // Accepted just before the dialog was deleted: nothing of it is stored.
    if (this.erasing) return void turn.log.push("error", { code: "not_found", message: "No such dialog." });
    this.current = turn;
    this.latest = turn;
    const userSeq = storeUserMessage(this.store, turn, Date.now());
    // A human holds the dialog: the message is kept (and shown to the operator), the model stays silent.
    if (this.store.takeover()) {
      silentDone(turn);
      this.current = undefined;
      return this.syncLoop.later();
    }
    // Past a budget cap the model is not called; the visitor's message stays stored all the same.
    const refused = await admitTurn(this.env, turn.snapshot, turn.input, this.admission);
    if (refused) {
      turn.log.push("error", {
        code: refused.code,
        message: refused.message,
        retry_after: refused.retryAfter,
      });
      this.current = undefined;
      return this.syncLoop.later();
    }
    // The user message is durable in SQLite now. Postgres gets it at the end of the answer, or during it
    // when it runs long; the sync's work never delays the model call or the first token.
    const syncSoon = this.syncLoop.onceAfter(SYNC_WHILE_ANSWERING_MS);
    await answerTurn(
      { env: this.env, ctx: this.ctx, store: this.store, admission: this.admission, syncSoon },
      turn,
      userSeq,
    );
    this.current = undefined;
    this.syncLoop.later();
  }
}
