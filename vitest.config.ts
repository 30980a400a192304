import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { planServices } from "./test/helpers/services-plan.ts";

/** Closing a pg socket in workerd can surface this after the query has finished; nothing is lost. */
const CLOSED_SOCKET = /This socket has been closed|Stream was cancelled/;

export default defineConfig(async () => {
  const plan = await planServices();
  const target = new URL(plan.databaseUrl);
  // wrangler reads the local Hyperdrive target from here when it parses wrangler.toml.
  process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = plan.databaseUrl;
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
            FRONTEND_BASE_URL: "http://cip.test",
            TEST_DIRECT_DATABASE_URL: plan.databaseUrl,
            TEST_NEON_WS_PROXY: `127.0.0.1:${plan.wsProxyPort}/v1`,
            TEST_DATABASE_HOST: `${target.hostname}:${target.port || 5432}`,
            SMTP_HOST: "127.0.0.1",
            SMTP_PORT: String(plan.smtpPort),
            SMTP_FROM: "CIP Test <no-reply@cip.test>",
            TEST_MAIL_API: `http://127.0.0.1:${plan.mailApiPort}`,
            DEEPSEEK_API_URL: `http://127.0.0.1:${plan.modelPort}`,
            DEEPSEEK_API_KEY: "test-model-key",
            DEEPSEEK_MODEL: "fake-model",
            TELEGRAM_API_URL: `http://127.0.0.1:${plan.telegramPort}`,
            TELEGRAM_TOKEN_KEY: "dGVzdC1vbmx5LXRlbGVncmFtLXRva2VuLWtleS0zMmI=",
            TURNSTILE_VERIFY_URL: `http://127.0.0.1:${plan.turnstilePort}/turnstile/v0/siteverify`,
            TURNSTILE_SCRIPT_URL: `http://127.0.0.1:${plan.turnstilePort}/turnstile/v0/api.js`,
            // Webhooks go to the local receiver (http, loopback): allowed only with this switch.
            WEBHOOK_ALLOW_PRIVATE: "1",
            TEST_WEBHOOK_RECEIVER: `http://127.0.0.1:${plan.webhookPort}`,
            // MCP servers are checked like webhooks (WEBHOOK_ALLOW_PRIVATE above lets them be local).
            TEST_MCP_SERVER: `http://127.0.0.1:${plan.mcpPort}`,
            // Test files chat from one address far faster than people do: generous per-address limits,
            // counted by the Durable Object. chat-ip-limits.test.ts sets a tenant's own, binding ones too.
            CHAT_IP_MESSAGES_PER_MINUTE: "1000",
            CHAT_IP_NEW_DIALOGS_PER_MINUTE: "1000",
          },
        },
      }),
    ],
    resolve: {
      // pg's Workers entry points need these two resolved to their CommonJS builds inside workerd.
      alias: [
        {
          find: /^pg-protocol$/,
          replacement: fileURLToPath(new URL("./node_modules/pg-protocol/dist/index.js", import.meta.url)),
        },
        {
          find: /^pg-cloudflare$/,
          replacement: fileURLToPath(new URL("./node_modules/pg-cloudflare/dist/index.js", import.meta.url)),
        },
      ],
    },
    test: {
      include: ["test/**/*.test.ts"],
      globalSetup: ["./test/global-setup.ts"],
      testTimeout: 20_000,
      hookTimeout: 60_000,
      onUnhandledError: (error: { message?: string }) => !CLOSED_SOCKET.test(error.message ?? ""),
    },
  };
});
