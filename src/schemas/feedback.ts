/** Request and response schemas of answer feedback: a visitor's thumbs up or down on one answer. */
import { z } from "@hono/zod-openapi";
import { boundedText, FeedbackSchema, Rating } from "./cabinet.ts";
import { DialogParams } from "./chat.ts";

/** The longest comment a rating may carry (code points). */
export const FEEDBACK_COMMENT_MAX = 500;

export const FeedbackParams = DialogParams.extend({
  message_id: z.uuid().openapi({ param: { name: "message_id", in: "path" } }),
});

export const FeedbackBody = z
  .object({
    user_id: z.string().trim().min(1).max(128).openapi({ example: "visitor-7f3a" }),
    rating: Rating,
    comment: boundedText(FEEDBACK_COMMENT_MAX).optional().openapi({
      description: "Why (usually after a thumbs-down); empty or left out: no comment",
    }),
  })
  .strict()
  .openapi("AnswerFeedbackRequest");

export const FeedbackReply = FeedbackSchema.extend({
  dialog_id: z.uuid(),
  message_id: z.uuid(),
}).openapi("AnswerFeedbackStored");
