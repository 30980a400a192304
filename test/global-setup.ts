/**
 * Builds the web pages and starts the real services the tests talk to (in Node, before workerd starts):
 * Postgres (fresh database or embedded PGlite) with migrations, the Neon WebSocket proxy, an SMTP sink, a scriptable fake model,
 * the fake Telegram Bot API, the fake Turnstile and a webhook receiver.
 */

import { buildWeb } from "../scripts/build-web.ts";
import { startFakeMcpServer } from "../scripts/lib/fake-mcp-server.ts";
import { startFakeModel } from "../scripts/lib/fake-model.ts";
import { startFakeTelegram } from "../scripts/lib/fake-telegram.ts";
import { startFakeTurnstile } from "../scripts/lib/fake-turnstile.ts";
import { createFreshDatabase } from "../scripts/lib/fresh-database.ts";
import { migrateDatabase } from "../scripts/lib/migrate.ts";
import { startEmbeddedPostgres } from "../scripts/lib/pglite-server.ts";
import { startSmtpSink } from "../scripts/lib/smtp-sink.ts";
import { startWebhookReceiver } from "../scripts/lib/webhook-receiver.ts";
import { startWsProxy } from "../scripts/lib/ws-proxy.ts";
import { currentPlan } from "./helpers/services-plan.ts";

export default async function setup(): Promise<() => Promise<void>> {
  // The Worker serves the built pages (embed page, chat page) from public/: a fresh clone has none yet.
  await buildWeb({ quiet: true });
  const plan = currentPlan();
  const teardown: Array<() => Promise<void>> = [];
  if (plan.databaseKind === "server") {
    const base = process.env.TEST_DATABASE_URL ?? "";
    const db = await createFreshDatabase(base, plan.databaseName);
    teardown.push(db.drop);
  } else {
    const pg = await startEmbeddedPostgres({ port: plan.pglitePort });
    teardown.push(pg.stop);
  }
  await migrateDatabase(plan.databaseUrl);

  const target = new URL(plan.databaseUrl);
  const proxy = await startWsProxy({
    port: plan.wsProxyPort,
    allowedTargets: [`${target.hostname}:${target.port || 5432}`],
  });
  teardown.push(proxy.stop);

  const sink = await startSmtpSink({ smtpPort: plan.smtpPort, apiPort: plan.mailApiPort });
  teardown.push(sink.stop);

  // Turns that do not disable thinking think briefly: the reasoning phase is exercised, tests stay fast.
  const model = await startFakeModel({ port: plan.modelPort, tokenDelayMs: 0, thinkingMs: 40 });
  teardown.push(model.stop);

  const telegram = await startFakeTelegram({ port: plan.telegramPort });
  teardown.push(telegram.stop);

  const turnstile = await startFakeTurnstile({ port: plan.turnstilePort });
  teardown.push(turnstile.stop);

  const receiver = await startWebhookReceiver({ port: plan.webhookPort });
  teardown.push(receiver.stop);

  const mcp = await startFakeMcpServer({ port: plan.mcpPort });
  teardown.push(mcp.stop);

  return async () => {
    for (const stop of teardown.reverse()) await stop().catch((err: unknown) => console.error(err));
  };
}
