/** Request and response schemas of human takeover: the cabinet's controls and the two live feeds. */
import { z } from "@hono/zod-openapi";
import { boundedText, MessageSchema } from "./cabinet.ts";

/** An operator's reply: 1..4000 characters (code points), not blank, no NUL. */
export const OperatorMessageBody = z.object({ text: boundedText(4000, 1) }).openapi("OperatorMessageInput");

export const TakeoverSchema = z
  .object({
    dialog_id: z.uuid(),
    taken_over: z.boolean(),
    taken_over_by: z.uuid().nullable(),
    taken_over_at: z.string().nullable().openapi({ example: "2026-11-20T10:00:00.000Z" }),
  })
  .openapi("Takeover");

export const OperatorReplySchema = z
  .object({
    message: MessageSchema,
    delivery: z.enum(["live", "stored", "sent", "failed"]).openapi({
      description:
        "web: `live` (a visitor page is connected and got it) or `stored` (shown when the visitor comes " +
        "back); telegram: `sent` (Telegram accepted it) or `failed` (kept in the dialog, not delivered)",
    }),
    takeover: TakeoverSchema,
  })
  .openapi("OperatorReply");

/** A resume point: the `id` of the last event read (a message `seq`); the header wins over nothing. */
const lastEventHeader = z.object({
  "last-event-id": z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
});
const afterSeq = z.coerce.number().int().min(0).max(2_147_483_647).optional();

export const VisitorFeedQuery = z.object({
  user_id: z.string().trim().min(1).max(128),
  last_event_id: afterSeq.openapi({ description: "seq of the last operator reply the page has" }),
});
export const CabinetFeedQuery = z.object({
  after_seq: afterSeq.openapi({ description: "seq of the last message the view has" }),
});
export const FeedHeaders = lastEventHeader;

export const VISITOR_FEED_DESCRIPTION =
  "text/event-stream, open until the client leaves: `state` {taken_over, operator_name} first and on " +
  "every change, then `operator` {id, seq, text, operator_name, created_at} (with `id:` = seq) for each " +
  "operator reply after Last-Event-ID / last_event_id; `: ping` comments while idle.";

export const CABINET_FEED_DESCRIPTION =
  "text/event-stream, open until the client leaves: `state` {taken_over, taken_over_by, taken_over_at} " +
  "first and on every change, then `message` (a Message, `id:` = seq) for each message after " +
  "Last-Event-ID / after_seq once it is final (visitor, assistant and operator); `: ping` while idle.";
