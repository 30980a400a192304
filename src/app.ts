/**
 * The HTTP app: cross-cutting middleware, then one sub-app per API surface under /api/v1.
 * Pages are static assets (wrangler.toml [assets]); only /api/* reaches this app first.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";
import { visitorApiKey } from "./middleware/auth/api-key.ts";
import { chatCors } from "./middleware/cors/index.ts";
import { database } from "./middleware/database/index.ts";
import { onError, onNotFound } from "./middleware/error-handler/index.ts";
import { jsonBodyLimit } from "./middleware/json-body-limit/index.ts";
import { requestContext } from "./middleware/request-id/index.ts";
import { services } from "./middleware/services/index.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { adminChatRoutes } from "./routes/admin-chat.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { cabinetBasePromptRoutes } from "./routes/cabinet-base-prompt.ts";
import { cabinetBudgetRoutes } from "./routes/cabinet-budget.ts";
import { cabinetChunkHistoryRoutes } from "./routes/cabinet-chunk-history.ts";
import { cabinetChunkRoutes } from "./routes/cabinet-chunks.ts";
import { cabinetDialogTriageRoutes } from "./routes/cabinet-dialog-triage.ts";
import { cabinetDialogRoutes } from "./routes/cabinet-dialogs.ts";
import { cabinetDocumentReviewRoutes } from "./routes/cabinet-document-review.ts";
import { cabinetDocumentRoutes } from "./routes/cabinet-documents.ts";
import { cabinetEmbedRoutes } from "./routes/cabinet-embed.ts";
import { cabinetFileRoutes } from "./routes/cabinet-files.ts";
import { cabinetGalleryRoutes } from "./routes/cabinet-galleries.ts";
import { cabinetMailRoutes } from "./routes/cabinet-mail.ts";
import { cabinetMcpRoutes } from "./routes/cabinet-mcp.ts";
import { cabinetModelRoutes } from "./routes/cabinet-model.ts";
import { cabinetOnboardingRoutes } from "./routes/cabinet-onboarding.ts";
import { cabinetPromptReleaseRoutes } from "./routes/cabinet-prompt-release.ts";
import { cabinetPromptSandboxRoutes } from "./routes/cabinet-prompt-sandbox.ts";
import { cabinetQuotaRoutes } from "./routes/cabinet-quotas.ts";
import { cabinetSavedRoutes } from "./routes/cabinet-saved.ts";
import { cabinetStarterRoutes } from "./routes/cabinet-starters.ts";
import { cabinetTakeoverRoutes } from "./routes/cabinet-takeover.ts";
import { cabinetTelegramRoutes } from "./routes/cabinet-telegram.ts";
import { cabinetTelegramOwnerRoutes } from "./routes/cabinet-telegram-owner.ts";
import { cabinetWebhookRoutes } from "./routes/cabinet-webhooks.ts";
import { chatRoutes } from "./routes/chat.ts";
import { chatEventRoutes } from "./routes/chat-events.ts";
import { chatFeedbackRoutes } from "./routes/chat-feedback.ts";
import { chatVisitorRoutes } from "./routes/chat-visitor.ts";
import { devDemoRoutes } from "./routes/dev-demo.ts";
import { docsRoutes } from "./routes/docs.ts";
import { exportRoutes } from "./routes/exports.ts";
import { healthRoutes } from "./routes/health.ts";
import { leadRoutes } from "./routes/leads.ts";
import { mcpEndpointRoutes } from "./routes/mcp-endpoint.ts";
import { meAccountRoutes } from "./routes/me-account.ts";
import { pageRoutes } from "./routes/pages.ts";
import { platformRoutes } from "./routes/platform.ts";
import { publicImageRoutes } from "./routes/public-images.ts";
import { telegramWebhookRoutes } from "./routes/telegram-webhook.ts";
import { tenantRoutes } from "./routes/tenants.ts";
import { widgetConfigRoutes } from "./routes/widget-config.ts";

/** Largest JSON/text body the API reads into memory. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestContext());
  app.use("/api/*", jsonBodyLimit(MAX_JSON_BODY_BYTES), database(), services(), chatCors());
  // A server's `chat` API key stands in for the widget token on the visitor routes (also matches …/chat).
  app.use("/api/v1/tenants/:tenant_id/chat/*", visitorApiKey());

  app.route("/api/v1", healthRoutes);
  // Dev-only (`npm run dev` sets DEV_DEMO_LOGIN): a 404 like any unknown path everywhere else.
  app.route("/api/v1", devDemoRoutes);
  app.route("/api/v1", tenantRoutes);
  app.route("/api/v1", accountRoutes);
  app.route("/api/v1", meAccountRoutes);
  app.route("/api/v1", apiKeyRoutes);
  // Before the dialog routes: `…/me/dialogs/export` must not be taken for a dialog id.
  app.route("/api/v1", exportRoutes);
  // cabinet routes (issue 5) are mounted below this line
  app.route("/api/v1", cabinetDialogRoutes);
  app.route("/api/v1", cabinetDialogTriageRoutes);
  app.route("/api/v1", cabinetTakeoverRoutes);
  app.route("/api/v1", cabinetChunkRoutes);
  app.route("/api/v1", cabinetChunkHistoryRoutes);
  app.route("/api/v1", cabinetMailRoutes);
  app.route("/api/v1", cabinetEmbedRoutes);
  app.route("/api/v1", cabinetStarterRoutes);
  app.route("/api/v1", cabinetPromptReleaseRoutes);
  app.route("/api/v1", cabinetPromptSandboxRoutes);
  app.route("/api/v1", cabinetBasePromptRoutes);
  app.route("/api/v1", cabinetBudgetRoutes);
  app.route("/api/v1", cabinetOnboardingRoutes);
  app.route("/api/v1", cabinetModelRoutes);
  app.route("/api/v1", cabinetSavedRoutes);
  app.route("/api/v1", cabinetFileRoutes);
  app.route("/api/v1", cabinetGalleryRoutes);
  app.route("/api/v1", cabinetDocumentRoutes);
  app.route("/api/v1", cabinetDocumentReviewRoutes);
  app.route("/api/v1", cabinetQuotaRoutes);
  app.route("/api/v1", publicImageRoutes);
  // chat routes (issue 4) are mounted below this line
  app.route("/api/v1", chatRoutes);
  app.route("/api/v1", chatVisitorRoutes);
  app.route("/api/v1", chatEventRoutes);
  app.route("/api/v1", chatFeedbackRoutes);
  app.route("/api/v1", adminChatRoutes);
  app.route("/api/v1", leadRoutes);
  app.route("/api/v1", telegramWebhookRoutes);
  app.route("/api/v1", cabinetTelegramRoutes);
  app.route("/api/v1", cabinetTelegramOwnerRoutes);
  app.route("/api/v1", cabinetWebhookRoutes);
  app.route("/api/v1", cabinetMcpRoutes);
  app.route("/api/v1", mcpEndpointRoutes);
  app.route("/api/v1", widgetConfigRoutes);
  // The platform operator's console (docs/operator.md).
  app.route("/api/v1", platformRoutes);
  app.route("/", pageRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A user's access token from `POST …/login` (or sign-up).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "cip_…",
    description:
      "An API key from `POST …/me/api-keys`, sent as `Authorization: Bearer cip_…`. Scope `read` opens the " +
      "GET routes of the tenant's data, scope `chat` the visitor routes without a widget token.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "telegramSecret", {
    type: "apiKey",
    in: "header",
    name: "X-Telegram-Bot-Api-Secret-Token",
    description: "The secret CIP gave Telegram when it registered the bot's webhook.",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "CIP API",
      version: "1",
      description:
        'A multi-tenant AI agent for websites. Errors are always `{"error": {"code", "message", "issues?"}}`. ' +
        "Typed clients: docs/api-clients.md.",
    },
    // The paths carry /api/v1: the server is the origin that serves this document.
    servers: [{ url: "/", description: "The CIP that serves this document" }],
  });
  // The interactive reference for that document: /api/docs (self-contained, no CDN).
  app.route("/api", docsRoutes);

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export const app = createApp();
