/**
 * `npm run dev`: everything a newcomer needs, on a machine with only npm.
 * - Postgres: DATABASE_URL, or an embedded PGlite server (data in .dev-data/pglite);
 * - migrations applied;
 * - SMTP: SMTP_HOST, or MailDev (SMTP and a web inbox);
 * - model: DEEPSEEK_API_KEY, or a local offline stand-in that says it is one;
 * - Turnstile: TURNSTILE_VERIFY_URL/TURNSTILE_SCRIPT_URL, or a local stand-in for Cloudflare's test keys;
 * - the demo tenant's owner with a NEW random password each start (printed below; the demo login page
 *   offers it through the dev-only DEV_DEMO_LOGIN), and the demo filled once through the API
 *   (scripts/lib/demo-seed.ts; CIP_DEV_DEMO=0 skips both);
 * - then `wrangler dev` on PORT (default 8787). Ctrl-C stops all of it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildWeb } from "./build-web.ts";
import { type DemoLogin, resetDemoOwner } from "./lib/demo-owner.ts";
import { seedDemo } from "./lib/demo-seed.ts";
import { startFakeModel } from "./lib/fake-model.ts";
import { startFakeTurnstile } from "./lib/fake-turnstile.ts";
import { freePort } from "./lib/free-port.ts";
import { devDemoLoginAllowed } from "./lib/loopback.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { startEmbeddedPostgres } from "./lib/pglite-server.ts";
import { readSettings } from "./lib/settings.ts";
import { spawnWrangler, waitForHttp } from "./lib/wrangler.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const settings = readSettings(`${root}.dev.vars`);
const port = Number(settings.PORT ?? 8787);
/** The address `wrangler dev` listens on: loopback unless CIP_DEV_IP says otherwise. */
const bindIp = process.env.CIP_DEV_IP ?? "127.0.0.1";
const say = (msg: string) => console.log(`[cip dev] ${msg}`);
const stops: Array<() => Promise<void> | void> = [];
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  mkdirSync(`${root}.dev-data`, { recursive: true });
  mkdirSync(`${root}.wrangler`, { recursive: true });

  let databaseUrl = settings.DATABASE_URL;
  const embedded = !databaseUrl;
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

  // Never a migration: a deployed database must not hold a known login. Dev only, new each start, and
  // only in a database on this machine (demo-owner.ts).
  let demo: DemoLogin | null = null;
  if (process.env.CIP_DEV_DEMO !== "0") {
    demo = await resetDemoOwner(databaseUrl, { embedded, say });
    // The Worker tells loopback requests by their Host header, which anyone can send once it listens on
    // the network: the demo login page offers the password only when it listens on loopback.
    if (demo && devDemoLoginAllowed(bindIp)) {
      Object.assign(vars, {
        DEV_DEMO_LOGIN: "1",
        DEV_DEMO_EMAIL: demo.email,
        DEV_DEMO_PASSWORD: demo.password,
      });
    } else if (demo) {
      say(`CIP_DEV_IP=${bindIp} is not loopback: the demo login page does not offer the demo cabinet`);
    }
  }

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
    const model = await startFakeModel({ port: await freePort() });
    stops.push(model.stop);
    Object.assign(vars, { DEEPSEEK_API_URL: model.url, DEEPSEEK_API_KEY: "offline" });
    say(`no DEEPSEEK_API_KEY: replies come from the OFFLINE stand-in model at ${model.url}`);
  }

  if (!settings.TURNSTILE_VERIFY_URL && !settings.TURNSTILE_SCRIPT_URL) {
    const turnstile = await startFakeTurnstile({ port: await freePort() });
    stops.push(turnstile.stop);
    Object.assign(vars, {
      TURNSTILE_VERIFY_URL: turnstile.verifyUrl,
      TURNSTILE_SCRIPT_URL: turnstile.scriptUrl,
    });
    say(
      `Turnstile: a local stand-in at ${turnstile.url} (Cloudflare's test keys only, e.g. 1x00000000000000000000AA)`,
    );
  }

  if (!settings.JWT_SECRET) {
    vars.JWT_SECRET = randomBytes(32).toString("base64url");
    say("no JWT_SECRET: using a random one for this run (logins end when dev stops)");
  }
  vars.FRONTEND_BASE_URL ??= `http://localhost:${port}`;
  // A webhook receiver on this machine (http://127.0.0.1:…) must work in development (docs/webhooks.md).
  vars.WEBHOOK_ALLOW_PRIVATE ??= "1";

  await buildWeb({ watch: !process.env.CI }); // web/ -> public/ (rebuilt on change while dev runs)
  const wrangler = spawnWrangler({
    port,
    ip: bindIp,
    vars,
    hyperdrive: { HYPERDRIVE: databaseUrl },
    persistTo: `${root}.dev-data/wrangler`,
  });
  children.push(wrangler);
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
  say(`CIP on http://localhost:${port} (chat: /demo/chat, health: /api/v1/health)`);
  if (demo) await fillDemo(`http://127.0.0.1:${port}`, demo);
}

/** Fills the demo once the Worker answers, then prints its sign-in (a failure only costs the demo). */
async function fillDemo(base: string, demo: DemoLogin): Promise<void> {
  try {
    await waitForHttp(`${base}/api/v1/health`, 120_000);
    let added: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        added = await seedDemo(base, demo);
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 2000)); // the Worker may still be warming up
      }
    }
    if (added.length > 0) say(`demo filled: ${added.join(", ")}`);
    say(
      `demo cabinet: http://localhost:${port}/demo/my (the login page offers it) — ${demo.email} / ${demo.password} ` +
        "(a new password each start)",
    );
  } catch (err) {
    say(`demo cabinet not filled: ${err instanceof Error ? err.message : String(err)}`);
  }
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
