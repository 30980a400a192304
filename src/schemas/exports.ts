/** Query schemas of the exports (dialogs, leads): format and a range of UTC days. */
import { z } from "@hono/zod-openapi";

const Day = z.iso.date();

/** `from`/`to`: UTC days, both included; `from` after `to` is a 422. */
function withDays<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({
      ...shape,
      from: Day.optional().openapi({
        description: "First UTC day (included), by creation time",
        example: "2026-11-01",
      }),
      to: Day.optional().openapi({
        description: "Last UTC day (included), by creation time",
        example: "2026-11-30",
      }),
    })
    .superRefine((q, ctx) => {
      const { from, to } = q as { from?: string; to?: string };
      if (from && to && from > to)
        ctx.addIssue({ code: "custom", path: ["from"], message: "Must not be after `to`." });
    });
}

export const DialogExportQuery = withDays({
  format: z
    .enum(["jsonl", "csv"])
    .default("jsonl")
    .openapi({ description: "`jsonl`: one dialog with its messages per line; `csv`: one row per message" }),
  channel: z.enum(["web", "telegram", "admin"]).optional(),
});

export const LeadExportQuery = withDays({
  format: z.enum(["csv", "jsonl"]).default("csv").openapi({ description: "`csv`: one row per lead" }),
});

/** The attachment's header, as documented on both exports. */
export const ExportHeaders = {
  "Content-Disposition": {
    description: '`attachment; filename="cip-<what>-<day>.<format>"`',
    schema: { type: "string" as const },
  },
};
