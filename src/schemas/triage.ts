/**
 * The contract of dialog triage (docs/cabinet.md, "Dialog triage"): the list filters `unread`, `archived`
 * and the `from`/`to` range (shared with the leads list), the archive body and its answer.
 */
import { z } from "@hono/zod-openapi";
import { boundInstant } from "../lib/date-bound.ts";

/**
 * A range bound: a UTC day (`2026-11-01`) or an ISO datetime with `Z` or an offset (src/lib/date-bound.ts).
 */
const DateBound = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  // Postgres has no year 0: refused here rather than by the database.
  .refine((b) => !b.startsWith("0000"), "Not a date.")
  .openapi({ type: "string", example: "2026-11-01" });

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

/** `from`/`to` of a list (`what` says which time they bound). */
export function dateRangeShape(what: string) {
  return {
    from: DateBound.optional().openapi({
      description: `Only items whose ${what} is at or after this (a UTC day, or an ISO datetime)`,
    }),
    to: DateBound.optional().openapi({
      description: `Only items whose ${what} is at or before this (a UTC day: the whole day)`,
    }),
  };
}

/** `from` after `to` is a 422 naming `from` (a range that can hold nothing is a mistake). */
export function fromNotAfterTo(
  q: { from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.from && q.to && boundInstant(q.from, "from") > boundInstant(q.to, "to"))
    ctx.addIssue({ code: "custom", path: ["from"], message: "Must not be after `to`." });
}

/** The triage filters of the cabinet's dialog list. */
export const DialogTriageQueryShape = {
  unread: bool.optional().openapi({
    description:
      "`true`: only dialogs with a visitor message the caller has not opened yet; `false`: the others",
  }),
  archived: bool.optional().openapi({
    description: "`true`: only archived dialogs; absent or `false`: only the others (the default list)",
  }),
  ...dateRangeShape("last activity (`last_message_at`)"),
};

export const DialogTriageBody = z
  .object({
    archived: z.boolean().openapi({ description: "`true` archives the dialog, `false` brings it back" }),
  })
  .strict()
  .openapi("DialogTriageBody");

export const DialogTriageSchema = z
  .object({
    id: z.uuid(),
    archived_at: z.string().nullable().openapi({ description: "When it was archived; null when it is not" }),
  })
  .openapi("DialogTriageState");
