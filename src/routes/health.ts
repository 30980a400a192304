import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../lib/router.ts";
import { errorResponses } from "../schemas/common.ts";
import { checkDatabase } from "../services/health.ts";

const HealthSchema = z
  .object({ status: z.literal("ok"), db: z.object({ latencyMs: z.number() }) })
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness and database reachability",
  responses: {
    200: { description: "Up, database reachable", content: { "application/json": { schema: HealthSchema } } },
    ...errorResponses(503),
  },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const db = await checkDatabase(c.var.db());
  c.header("Cache-Control", "no-store");
  return c.json({ status: "ok" as const, db }, 200);
});
