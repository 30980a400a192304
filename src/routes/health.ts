import { createRoute, z } from "@hono/zod-openapi";
import { smtpConfig } from "../config.ts";
import { errorResponses } from "../schemas/common.ts";
import { checkDatabase } from "../services/platform/health.ts";
import { createRouter } from "./router.ts";

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    db: z.object({ latencyMs: z.number() }),
    mail: z.enum(["smtp", "console"]).openapi({
      description: "`console`: no SMTP_HOST, account mail is only logged (links redacted), never delivered",
    }),
  })
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/health",
  security: [],
  tags: ["system"],
  summary: "Liveness, database reachability, and whether mail is delivered",
  responses: {
    200: { description: "Up, database reachable", content: { "application/json": { schema: HealthSchema } } },
    ...errorResponses(503),
  },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const db = await checkDatabase(c.var.db());
  c.header("Cache-Control", "no-store");
  const mail = smtpConfig(c.env) ? ("smtp" as const) : ("console" as const);
  return c.json({ status: "ok" as const, db, mail }, 200);
});
