/**
 * Decides, once per `npm test` run, where the test services live, so vitest.config.ts can hand the
 * addresses to workerd's bindings and test/global-setup.ts can start them there.
 * Postgres: TEST_DATABASE_URL's server with a fresh database, or an embedded PGlite server; an SMTP sink.
 */
import { freePort } from "../../scripts/lib/free-port.ts";
import { databaseUrlFor, uniqueDatabaseName } from "../../scripts/lib/fresh-database.ts";

export interface ServicesPlan {
  /** "server": a fresh database on TEST_DATABASE_URL's server; "embedded": PGlite. */
  databaseKind: "server" | "embedded";
  databaseUrl: string;
  databaseName: string;
  pglitePort: number;
  wsProxyPort: number;
  smtpPort: number;
  mailApiPort: number;
  modelPort: number;
  /** The fake Telegram Bot API (scripts/lib/fake-telegram.ts). */
  telegramPort: number;
  /** The fake Turnstile siteverify and widget script (scripts/lib/fake-turnstile.ts). */
  turnstilePort: number;
  /** The local webhook receiver (scripts/lib/webhook-receiver.ts). */
  webhookPort: number;
  /** The local MCP server built with the SDK (scripts/lib/fake-mcp-server.ts). */
  mcpPort: number;
}

const ENV_KEY = "CIP_TEST_SERVICES_PLAN";

export async function planServices(): Promise<ServicesPlan> {
  const existing = process.env[ENV_KEY];
  if (existing) return JSON.parse(existing) as ServicesPlan;
  const base = process.env.TEST_DATABASE_URL;
  const pglitePort = await freePort();
  const databaseName = base ? uniqueDatabaseName() : "postgres";
  const plan: ServicesPlan = {
    databaseKind: base ? "server" : "embedded",
    databaseUrl: base
      ? databaseUrlFor(base, databaseName)
      : `postgres://postgres:postgres@127.0.0.1:${pglitePort}/postgres?sslmode=disable`,
    databaseName,
    pglitePort,
    wsProxyPort: await freePort(),
    smtpPort: await freePort(),
    mailApiPort: await freePort(),
    modelPort: await freePort(),
    telegramPort: await freePort(),
    turnstilePort: await freePort(),
    webhookPort: await freePort(),
    mcpPort: await freePort(),
  };
  process.env[ENV_KEY] = JSON.stringify(plan);
  return plan;
}

/** The plan made by vitest.config.ts in this process. */
export function currentPlan(): ServicesPlan {
  const existing = process.env[ENV_KEY];
  if (!existing) throw new Error("test services were not planned (vitest.config.ts runs planServices)");
  return JSON.parse(existing) as ServicesPlan;
}
