/**
 * `npm run dev`: everything a newcomer needs, on a machine with only npm.
 * - Postgres: DATABASE_URL, or an embedded PGlite server (data in .dev-data/pglite);
 * - migrations applied;
 * - SMTP: SMTP_HOST, or MailDev (SMTP and a web inbox);
 * - model: DEEPSEEK_API_KEY, or a local offline stand-in that says it is one;
 * - then `wrangler dev` on PORT (default 8787). Ctrl-C stops all of it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "./lib/free-port.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { startOfflineModel } from "./lib/offline-model.ts";
import { startEmbeddedPostgres } from "./lib/pglite-server.ts";
import { readSettings, toEnvFile } from "./lib/settings.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const settings = readSettings(`${root}.dev.vars`);
const port = Number(settings.PORT ?? 8787);
const say = (msg: string) => console.log(`[cip dev] ${msg}`);
const stops: Array<() => Promise<void> | void> = [];
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  mkdirSync(`${root}.dev-data`, { recursive: true });
  mkdirSync(`${root}.wrangler`, { recursive: true });

  let databaseUrl = settings.DATABASE_URL;
  if (!databaseUrl) {
    const dbPort = Number(process.env.CIP_DEV_DB_PORT ?? 54329);
    const pg = await startEmbeddedPostgres({ port: dbPort, dataDir: `${root}.dev-data/pglite` });
    stops.push(pg.stop);
    databaseUrl = pg.url;
    say(`embedded Postgres (PGlite) on 127.0.0.1:${dbPort}, data in .dev-data/pglite`);
  } else {
    say("using DATABASE_URL");
  }
  await migrateDatabase(databaseUrl);
  say("migrations applied");

  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if (k !== "DATABASE_URL" && k !== "PORT") vars[k] = v;

  if (!settings.SMTP_HOST) {
    const smtpPort = Number(process.env.CIP_DEV_SMTP_PORT ?? 1025);
    const webPort = Number(process.env.CIP_DEV_MAIL_UI_PORT ?? 1080);
    const maildev = spawn(
      process.execPath,
      [
        `${root}node_modules/maildev/dist/bin/maildev.js`,
        "--ip",
        "127.0.0.1",
        "--web-ip",
        "127.0.0.1",
        "--smtp",
        String(smtpPort),
        "--web",
        String(webPort),
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    children.push(maildev);
    Object.assign(vars, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      SMTP_USER: "",
      SMTP_PASSWORD: "",
    });
    say(`MailDev: SMTP 127.0.0.1:${smtpPort}, inbox http://127.0.0.1:${webPort}`);
  }

  if (!settings.DEEPSEEK_API_KEY) {
    const model = await startOfflineModel({ port: await freePort() });
    stops.push(model.stop);
    Object.assign(vars, { DEEPSEEK_API_URL: model.url, DEEPSEEK_API_KEY: "offline" });
    say(`no DEEPSEEK_API_KEY: replies come from the OFFLINE stand-in model at ${model.url}`);
  }

  if (!settings.JWT_SECRET) {
    vars.JWT_SECRET = randomBytes(32).toString("base64url");
    say("no JWT_SECRET: using a random one for this run (logins end when dev stops)");
  }
  vars.FRONTEND_BASE_URL ??= `http://localhost:${port}`;

  const envFile = `${root}.wrangler/dev.env`;
  writeFileSync(envFile, toEnvFile(vars), { mode: 0o600 });
  const wrangler = spawn(
    process.execPath,
    [
      `${root}node_modules/wrangler/bin/wrangler.js`,
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--env-file",
      envFile,
      "--persist-to",
      `${root}.dev-data/wrangler`,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl,
        // Offline by design: no cf-object download, no telemetry.
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
      },
    },
  );
  children.push(wrangler);
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
  say(`CIP on http://localhost:${port} (chat: /demo/chat, health: /api/v1/health)`);
}

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: unknown) => {
  console.error("[cip dev] failed to start:", err instanceof Error ? err.message : err);
  void shutdown(1);
});
