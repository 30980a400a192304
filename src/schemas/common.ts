import { z } from "@hono/zod-openapi";

/** The JSON error envelope, for the OpenAPI document. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      quota: z
        .object({ id: z.string(), limit: z.number().int() })
        .optional()
        .openapi({ description: "With `quota_exceeded`: which quota and its limit" }),
    }),
  })
  .openapi("Error");

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: "Error", content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );

/** Tenant slugs: what sign-up accepts, and so all a lookup can match. */
export const SlugSchema = z
  .string()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use 3-40 characters: a-z, 0-9 and inner hyphens.")
  .openapi({ example: "demo" });
