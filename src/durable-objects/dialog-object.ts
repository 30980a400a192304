import { DurableObject } from "cloudflare:workers";
import { EventLog } from "../chat/event-log.ts";
import { extractLeads } from "../chat/leads.ts";
import { turnModelOptions } from "../chat/model-settings.ts";
import { type CommandRecord, runModelTurn } from "../chat/turn-runner.ts";
import { runBlock } from "../commands/registry.ts";
import type { Channel, CommandContext } from "../commands/types.ts";
import { modelConfig } from "../config.ts";
import { type DbHandle, openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { log } from "../lib/log.ts";
import { createChatModel } from "../llm/factory.ts";
import type { TelegramUpdate } from "../schemas/telegram.ts";
import { requireTurnstile } from "../services/chat-guard.ts";
import { createKnowledge } from "../services/knowledge/factory.ts";
import { handleUpdate } from "../services/telegram/update-handler.ts";
import type { WebhookBot } from "../services/telegram/webhook.ts";
import { AdmissionLease, admitTurn, reportCommitted, reportPending } from "./budget-client.ts";
import { DialogFeed } from "./dialog-feed.ts";
import { DialogStore, type StoredMessage } from "./dialog-store.ts";
import { syncDialog } from "./dialog-sync.ts";
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
import { buildModelRequest } from "./model-request.ts";
import type { TenantSnapshot } from "./tenant-object.ts";
import { recordVisit } from "./visitor-directory.ts";

export interface TurnInput {
  tenantId: string;
  dialogId: string;
  channel: Channel;
  visitorId: string;
  userId?: string | null;
  message: string;
  /** True when the caller made a new dialog id; false when the client named an existing dialog. */
  create: boolean;
  /** A Turnstile token sent with the message, and the client's address (the human check of every Nth). */
  turnstileToken?: string | undefined;
  remoteIp?: string | undefined;
}

export type TurnStart =
  | { ok: true; dialogId: string; messageId: string; stream: ReadableStream<Uint8Array> }
  | { ok: false; code: ErrorCode; message: string; retryAfter?: number };

export type TurnResult =
  | {
      ok: true;
      dialogId: string;
      messageId: string;
      reply: string;
      status: string;
      commands: CommandRecord[];
    }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      retryAfter?: number;
      dialogId?: string;
      messageId?: string;
    };

/** Turns waiting behind the running one, per dialog; beyond it a send is refused with 429. */
export const MAX_QUEUED_TURNS = 8;
export const MAX_BLOCKS_PER_TURN = 3;
const SAVE_PARTIAL_EVERY_MS = 1000;
const SYNC_RETRY_MAX_MS = 60_000;
/** How long after the first token the user message is sent to Postgres (the cabinet sees it at once). */
const SYNC_AFTER_FIRST_TOKEN_MS = 25;
/** Safety net for the prompt copy, should an invalidation ever be missed. */
const SNAPSHOT_MAX_AGE_MS = 5 * 60 * 1000;

interface Turn {
  input: TurnInput;
  userMessageId: string;
  messageId: string;
  log: EventLog;
  snapshot: TenantSnapshot;
  abort: AbortController;
  /** The visitor message waits in `pending_turns` (the turn was queued behind another). */
  pending: boolean;
  /** Settles when the model has accepted the request, or the turn ended without one. */
  started: Promise<void>;
  markStarted: () => void;
}

/**
 * One object per dialog, the dialog's single writer. It owns each turn from the stored user message to the
 * stored answer, independent of the client connection; turns run one at a time in arrival order (input
 * gates do not hold across the model fetch, so the queue is explicit). Its SQLite storage is the
 * write-ahead record; Postgres gets the rows right after, retried by an alarm until they land.
 */
export class DialogObject extends DurableObject<Bindings> {
  private readonly store: DialogStore;
  /** Live readers of operator replies and new messages (visitor pages, the cabinet). */
  private readonly feed = new DialogFeed();
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private current: Turn | undefined;
  /** The tenant's prompt snapshot, kept until the tenant object says it changed (or it ages out). */
  private snapshot: { value: TenantSnapshot; at: number } | undefined;
  /** Bumped by `dropSnapshot()`, so a fetch that was under way when it came is not cached. */
  private snapshotGeneration = 0;
  /** The latest turn's events (running or finished), for readers that reconnect (`resume`). */
  private latest: Turn | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private syncFailures = 0;
  /** The tenant object's last admission of this dialog's turns (budget-client.ts). */
  private readonly admission = new AdmissionLease();

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.store = new DialogStore(ctx.storage.sql);
    this.store.onFinalMessage = (m) => this.feed.publishMessage(m);
    // A turn cut short by an eviction or a crash keeps what it had: partial (or failed) and synced.
    if (this.store.recoverInterrupted() > 0) ctx.waitUntil(this.sync());
  }

  /**
   * Accepts a turn and returns its live SSE stream; the turn runs even if nobody reads it. A turn that
   * runs at once returns when the model has accepted the request (or the turn ended without it): the
   * model request leaves before this answer's own work, which shares the runtime's thread with it
   * (docs/chat-engine.md, "When the stream starts"). A queued turn returns at once.
   */
  async startTurn(input: TurnInput): Promise<TurnStart> {
    const accepted = await this.accept(input);
    if (!accepted.ok) return accepted;
    const turn = accepted.turn;
    if (!turn.pending) await turn.started;
    return { ok: true, dialogId: input.dialogId, messageId: turn.messageId, stream: turn.log.subscribe() };
  }

  /** Accepts a turn and waits for its end: the JSON form of the chat. */
  async sendTurn(input: TurnInput): Promise<TurnResult> {
    const accepted = await this.accept(input);
    if (!accepted.ok) return accepted;
    const turn = accepted.turn;
    const last = await turn.log.finished();
    const ids = { dialogId: input.dialogId, messageId: turn.messageId };
    if (last.event === "error") {
      const data = last.data as { code: ErrorCode; message: string; retry_after?: number };
      const retry = data.retry_after === undefined ? {} : { retryAfter: data.retry_after };
      return { ok: false, code: data.code, message: data.message, ...retry, ...ids };
    }
    const done = last.data as { reply: string; status: string; commands: CommandRecord[] };
    return { ok: true, ...ids, reply: done.reply, status: done.status, commands: done.commands };
  }

  /** The deliberate stop: ends the running turn of this visitor, keeping what was said (status stopped). */
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
    await this.sync();
    return { ok: true, state };
  }

  /** Gives the dialog back to the model. */
  async release(tenantId: string): Promise<TakeoverReply> {
    const refused = operatorRefusal(this.store.meta(), tenantId);
    if (refused) return refused;
    release(this.store, this.feed);
    await this.sync();
    return { ok: true, state: null };
  }

  /** An operator's reply: the dialog's next message (taking the dialog over if nobody holds it). */
  async operatorMessage(tenantId: string, operator: Operator, text: string): Promise<OperatorReply> {
    const refused = operatorRefusal(this.store.meta(), tenantId);
    if (refused) return refused;
    const holder = this.store.takeover();
    const written = writeOperatorMessage(this.store, this.feed, operator, text);
    if (!holder) this.current?.abort.abort();
    await this.sync();
    return { ok: true, ...written, visitorsOnline: this.feed.visitorCount() };
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

  /** Called by the tenant object when the tenant's prompt or settings changed. */
  dropSnapshot(): void {
    this.snapshot = undefined;
    this.snapshotGeneration += 1;
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
    if (added > 0) await this.sync();
    return { ok: true, added };
  }

  override async alarm(): Promise<void> {
    await this.sync();
  }

  /** The warm copy while it is current, else the tenant object's (which may load it). */
  private async tenantSnapshot(tenantId: string, _dialogId: string): Promise<TenantSnapshot | null> {
    const tenant = this.env.TENANTS.getByName(tenantId);
    const cached = this.snapshot;
    // The copy serves while the tenant object's epoch is still its own: one call answered from memory (no
    // Postgres), so a change committed before this turn is seen by it (tenant-object.ts).
    if (
      cached &&
      cached.value.tenantId === tenantId &&
      Date.now() - cached.at < SNAPSHOT_MAX_AGE_MS &&
      (await tenant.snapshotEpoch()) === cached.value.epoch
    )
      return cached.value;
    const generation = this.snapshotGeneration;
    const value = await tenant.snapshot(tenantId);
    if (generation === this.snapshotGeneration) this.snapshot = value ? { value, at: Date.now() } : undefined;
    return value;
  }

  /**
   * The tenant's Turnstile on every Nth visitor message of a web dialog (`turnstile.everyMessages`): the
   * first message is checked at the edge; messages N+1, 2N+1, … need a fresh token here, where the count
   * is. Null when the message may go on.
   */
  private async humanCheck(
    input: TurnInput,
    snapshot: TenantSnapshot,
  ): Promise<Extract<TurnStart, { ok: false }> | null> {
    const turnstile = snapshot.settings.turnstile;
    const every = turnstile?.everyMessages;
    if (!turnstile || !every || input.channel !== "web" || !this.store.meta()) return null;
    if (this.store.visitorMessageCount() % every !== 0) return null;
    try {
      await requireTurnstile(this.env, input.tenantId, turnstile, {
        turnstileToken: input.turnstileToken,
        remoteIp: input.remoteIp,
      });
      return null;
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }

  private async accept(
    input: TurnInput,
  ): Promise<{ ok: true; turn: Turn } | Extract<TurnStart, { ok: false }>> {
    const meta = this.store.meta();
    if (
      meta &&
      (meta.tenantId !== input.tenantId ||
        meta.channel !== input.channel ||
        meta.visitorId !== input.visitorId)
    ) {
      return { ok: false, code: "not_found", message: "No such dialog." };
    }
    if (!meta && !input.create) return { ok: false, code: "not_found", message: "No such dialog." };
    if (this.queued >= MAX_QUEUED_TURNS + 1) {
      return {
        ok: false,
        code: "rate_limited",
        message: "Too many messages at once in this dialog.",
        retryAfter: 2,
      };
    }
    // Hold the queue slot across the await below, so a burst cannot all pass the check at once.
    this.queued += 1;
    const runsNow = this.queued === 1;
    const snapshot = await this.tenantSnapshot(input.tenantId, input.dialogId);
    if (!snapshot) {
      this.queued -= 1;
      return { ok: false, code: "tenant_not_found", message: "No such tenant." };
    }
    const unchecked = await this.humanCheck(input, snapshot);
    if (unchecked) {
      this.queued -= 1;
      return unchecked;
    }
    if (!this.store.meta()) {
      this.store.setMeta({
        dialogId: input.dialogId,
        tenantId: input.tenantId,
        channel: input.channel,
        visitorId: input.visitorId,
        userId: input.userId ?? null,
        createdAt: Date.now(),
      });
    }
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
      pending: !runsNow,
      started,
      markStarted,
    };
    // Durable from acceptance: a turn queued behind another keeps its message should the object stop.
    // A turn that runs now writes the message itself, in this same synchronous step (see `run`).
    if (turn.pending) this.store.addPending(turn.userMessageId, input.message, Date.now());
    // The visitor's latest dialog, for messages that name none (visitor-directory.ts); off the turn's path.
    if (input.channel === "web") this.ctx.waitUntil(recordVisit(this.env, input, Date.now()));
    turn.log.push("meta", {
      dialog_id: input.dialogId,
      message_id: turn.messageId,
      user_message_id: turn.userMessageId,
    });
    this.chain = this.chain
      .then(() => this.run(turn))
      .finally(() => {
        turn.markStarted();
        this.queued -= 1;
      });
    return { ok: true, turn };
  }

  private async run(turn: Turn): Promise<void> {
    this.current = turn;
    this.latest = turn;
    const now = Date.now();
    const userSeq = this.store.nextSeq();
    // One synchronous block: the pending row becomes the message atomically.
    if (turn.pending) this.store.takePending(turn.userMessageId);
    this.store.putMessage(message(userSeq, turn.userMessageId, "user", turn.input.message, "complete", now));
    if (turn.input.channel !== "admin") {
      for (const lead of extractLeads(turn.input.message))
        this.store.addLead(lead.kind, lead.value, lead.raw);
    }
    // A human holds the dialog: the message is kept (and shown to the operator), the model stays silent.
    if (this.store.takeover()) return this.silentTurn(turn);
    // Past a budget cap the model is not called; the visitor's message stays stored all the same.
    const refused = await admitTurn(this.env, turn.snapshot, turn.input, this.admission);
    if (refused) {
      turn.log.push("error", {
        code: refused.code,
        message: refused.message,
        retry_after: refused.retryAfter,
      });
      this.current = undefined;
      return this.syncLater();
    }
    // The user message is durable in SQLite now. Postgres gets it once the model has started answering,
    // so the sync's work never delays the model call or the first token.
    let syncStarted = false;
    const syncSoon = () => {
      if (syncStarted) return;
      syncStarted = true;
      // Let the first tokens leave the object before the sync's own (synchronous) work starts.
      setTimeout(() => void this.sync(), SYNC_AFTER_FIRST_TOKEN_MS);
    };

    const history = this.store.history(24_000, 40);
    const request = {
      ...buildModelRequest(turn.snapshot, turn.input.channel, history),
      ...turnModelOptions(turn.snapshot.settings, turn.input.channel, this.env),
    };
    const answer = message(userSeq + 1, turn.messageId, "assistant", "", "streaming", Date.now());
    this.store.putMessage(answer);
    let lastSave = Date.now();
    let db: DbHandle | undefined;
    // Commands open the database only when one of them needs it; closed when the turn ends.
    const database = () => {
      db ??= openDatabase(this.env, () => turn.input.tenantId);
      return db.db;
    };
    const commandContext: CommandContext = {
      tenantId: turn.input.tenantId,
      channel: turn.input.channel,
      locale: turn.snapshot.locale === "en" ? "en" : "ru",
      userId: turn.input.userId ?? null,
      db: database,
      knowledge: () => createKnowledge(this.env, database, turn.snapshot.settings),
      chunksChanged: async () => {
        // The tenant object re-reads the chunks: the command's change must be committed first.
        await db?.finish();
        await this.env.TENANTS.getByName(turn.input.tenantId).invalidate();
      },
    };
    try {
      const outcome = await runModelTurn(
        {
          model: createChatModel(modelConfig(this.env)),
          runBlock: (block) => runBlock(commandContext, block),
          onToken: (text) => {
            // `content`, as the original backend named it: its clients read only that key.
            turn.log.push("token", { content: text });
            syncSoon();
            answer.content += text;
            if (Date.now() - lastSave > SAVE_PARTIAL_EVERY_MS) {
              this.store.putMessage(answer);
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
      this.store.putMessage({
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
        this.admission.spend(tokens);
        await reportPending(this.env, turn.snapshot, turn.input.tenantId, {
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
      this.store.putMessage({ ...answer, status: answer.content ? "partial" : "failed" });
      turn.log.push("error", { code: "internal_error", message: "Something went wrong on our side." });
    } finally {
      this.current = undefined;
      if (db) this.ctx.waitUntil(db.close());
    }
    this.syncLater();
  }

  /** Ends a turn of a taken-over dialog: `done` with status `taken_over`, no answer stored. */
  private async silentTurn(turn: Turn): Promise<void> {
    turn.log.push("done", {
      dialog_id: turn.input.dialogId,
      message_id: turn.messageId,
      status: "taken_over",
      usage: null,
      reply: "",
      commands: [],
    });
    this.current = undefined;
    this.syncLater();
  }

  /**
   * Syncs without holding the queue: the next turn needs only this object's SQLite, so a slow or
   * unreachable Postgres never delays it (the alarm retries the rows until they land).
   */
  private syncLater(): void {
    this.ctx.waitUntil(
      this.sync().catch((err: unknown) => {
        log("error", "dialog sync could not be scheduled", { error: databaseErrorSummary(err) });
      }),
    );
  }

  /** Pushes pending rows to Postgres; on failure an alarm retries with backoff until they land. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const meta = this.store.meta();
    if (!meta) return Promise.resolve();
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        const handle = openDatabase(this.env, () => meta.tenantId);
        try {
          const synced = await syncDialog(handle.db, this.store, meta, handle.finish);
          this.syncFailures = 0;
          await reportCommitted(this.env, this.snapshot?.value, meta.tenantId, synced.xid, synced.usage);
        } catch (err) {
          this.syncFailures += 1;
          const delay = Math.min(SYNC_RETRY_MAX_MS, 500 * 2 ** this.syncFailures);
          log("warn", "dialog sync to Postgres failed; retrying", {
            dialogId: meta.dialogId,
            attempt: this.syncFailures,
            error: databaseErrorSummary(err),
          });
          await this.ctx.storage.setAlarm(Date.now() + delay);
          this.syncAgain = false;
        } finally {
          // Not awaited: a connection that hangs must not hold the next sync.
          this.ctx.waitUntil(handle.close());
        }
      } while (this.syncAgain);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }
}

/** The database's own reason, without the statement or its parameters (they carry visitor text). */
function databaseErrorSummary(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code} ` : ""}${cause.message}`.slice(0, 300);
}

function message(
  seq: number,
  id: string,
  role: "user" | "assistant",
  content: string,
  status: StoredMessage["status"],
  createdAt: number,
): StoredMessage {
  return { seq, id, role, content, commands: [], status, usage: null, createdAt };
}
