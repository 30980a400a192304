/**
 * Answer feedback: a visitor rates one of the assistant's answers in its own web dialog, thumbs up or
 * down, with an optional comment. One rating per answer; a new one replaces it.
 *
 * The answer is looked up in Postgres first. The dialog object syncs its rows a moment after the answer
 * ends, so an answer Postgres does not have yet is checked with the dialog object itself (the dialog's
 * single writer, which knows every message and its visitor). Either way the rating is stored keyed by
 * (tenant, message): no rating is lost to the sync's lag, and none lands on another visitor's dialog.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Channel, StoredStatus } from "../../chat/dialog-contract.ts";
import type { Database } from "../../db/client.ts";
import { dialogs, messageFeedback, messages } from "../../db/schema.ts";
import type { Bindings } from "../../env.ts";
import { AppError } from "../../errors.ts";

export type Rating = "up" | "down";

export interface FeedbackInput {
  tenantId: string;
  dialogId: string;
  messageId: string;
  visitorId: string;
  rating: Rating;
  comment?: string | undefined;
}

export interface StoredFeedback {
  dialog_id: string;
  message_id: string;
  rating: Rating;
  comment: string | null;
  updated_at: string;
}

/** A message as the rating needs it: whose dialog it is in, its role and state. */
export interface RatedTarget {
  channel: Channel;
  visitorId: string;
  role: "user" | "assistant" | "operator";
  status: StoredStatus;
}

const noMessage = () => new AppError("not_found", "No such message in this dialog.");

/**
 * Why `target` may not be rated by `visitorId` (null: it may). Someone else's dialog reads as a missing
 * message (its existence is not told); only the assistant's finished answers take a rating.
 */
export function ratingRefusal(target: RatedTarget | null, visitorId: string): AppError | null {
  if (target?.channel !== "web" || target.visitorId !== visitorId) return noMessage();
  if (target.role !== "assistant") {
    return new AppError("validation_failed", "Only the assistant's answers can be rated.", {
      issues: [{ path: "message_id", message: "Not an answer of the assistant." }],
    });
  }
  if (target.status === "streaming") return new AppError("conflict", "The answer is still being written.");
  return null;
}

/** The comment as stored: trimmed by the schema, an empty one is none. */
export function storedComment(comment: string | undefined): string | null {
  return comment ? comment : null;
}

/** The message as Postgres has it (synced), or null. */
async function syncedTarget(db: Database, input: FeedbackInput): Promise<RatedTarget | null> {
  const [row] = await db
    .select({
      channel: dialogs.channel,
      visitorId: dialogs.visitorId,
      role: messages.role,
      status: messages.status,
    })
    .from(messages)
    .innerJoin(dialogs, and(eq(dialogs.id, messages.dialogId), eq(dialogs.tenantId, messages.tenantId)))
    .where(
      and(
        eq(messages.tenantId, input.tenantId),
        eq(messages.dialogId, input.dialogId),
        eq(messages.id, input.messageId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The message as the dialog object has it (not synced yet); the object refuses other visitors. */
async function liveTarget(env: Bindings, input: FeedbackInput): Promise<RatedTarget | null> {
  const found = await env.DIALOGS.getByName(input.dialogId).ratedMessage(
    input.tenantId,
    input.visitorId,
    input.messageId,
  );
  if (!found.ok) return null;
  return { channel: "web", visitorId: input.visitorId, role: found.role, status: found.status };
}

/** Stores the visitor's rating of an answer (replacing an earlier one) and returns it. */
export async function rateAnswer(
  env: Bindings,
  db: () => Database,
  raw: FeedbackInput,
): Promise<StoredFeedback> {
  // Ids as the engine writes them (crypto.randomUUID: lower case); the path accepts either case.
  const input = { ...raw, dialogId: raw.dialogId.toLowerCase(), messageId: raw.messageId.toLowerCase() };
  const target = (await syncedTarget(db(), input)) ?? (await liveTarget(env, input));
  const refused = ratingRefusal(target, input.visitorId);
  if (refused) throw refused;
  const comment = storedComment(input.comment);
  const [row] = await db()
    .insert(messageFeedback)
    .values({
      tenantId: input.tenantId,
      dialogId: input.dialogId,
      messageId: input.messageId,
      rating: input.rating,
      comment,
    })
    .onConflictDoUpdate({
      target: [messageFeedback.tenantId, messageFeedback.messageId],
      set: { rating: input.rating, comment, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error("feedback upsert returned nothing");
  return {
    dialog_id: row.dialogId,
    message_id: row.messageId,
    rating: row.rating,
    comment: row.comment,
    updated_at: row.updatedAt.toISOString(),
  };
}
