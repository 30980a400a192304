/** Shapes of a tenant's starter questions (`…/me/starters`). */
import { z } from "@hono/zod-openapi";
import { STARTER_MAX_CHARS, STARTERS_MAX } from "./limits.ts";

const Starter = z
  .string()
  .trim()
  .min(1)
  .max(STARTER_MAX_CHARS)
  .openapi({
    description: `1..${STARTER_MAX_CHARS} characters after trimming`,
    example: "How much is delivery?",
  });

export const StartersBody = z
  .object({
    starters: z
      .array(Starter)
      .max(STARTERS_MAX)
      .refine((list) => new Set(list.map((s) => s.toLocaleLowerCase())).size === list.length, {
        message: "The starter questions must differ from each other",
      })
      .openapi({ description: `Up to ${STARTERS_MAX} questions, no repeats; empty removes them` }),
  })
  .strict()
  .openapi("StartersUpdate");

export const StartersSchema = z
  .object({
    starters: z.array(z.string()),
    limits: z.object({ max: z.number().int(), max_chars: z.number().int() }),
  })
  .openapi("Starters");
