/**
 * The HTTP app: cross-cutting middleware, then one sub-app per API surface under /api/v1.
 * Pages are static assets (wrangler.toml [assets]); only /api/* reaches this app first.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env.ts";
import { database } from "./middleware/database/index.ts";
import { onError, onNotFound } from "./middleware/error-handler/index.ts";
import { jsonBodyLimit } from "./middleware/json-body-limit/index.ts";
import { services } from "./middleware/services/index.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { healthRoutes } from "./routes/health.ts";
import { meAccountRoutes } from "./routes/me-account.ts";
import { tenantRoutes } from "./routes/tenants.ts";

/** Largest JSON/text body the API reads into memory. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestId());
  app.use("/api/*", jsonBodyLimit(MAX_JSON_BODY_BYTES), database(), services());

  app.route("/api/v1", healthRoutes);
  app.route("/api/v1", tenantRoutes);
  app.route("/api/v1", accountRoutes);
  app.route("/api/v1", meAccountRoutes);
  // cabinet routes (issue 5) are mounted below this line
  // chat routes (issue 4) are mounted below this line

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: { title: "CIP API", version: "1" },
  });

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export const app = createApp();
