/**
 * The stack the browser tests drive: `npm run dev` as a newcomer runs it (web build, wrangler dev,
 * MailDev, the offline stand-in model), on free ports, against a fresh in-memory PGlite so runs never
 * share data with each other or with a developer's `.dev-data`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startFakeTelegram } from "../../scripts/lib/fake-telegram.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { startEmbeddedPostgres } from "../../scripts/lib/pglite-server.ts";

export interface Stack {
  baseUrl: string;
  mailApi: string;
  modelUrl: string;
  /** The fake Telegram Bot API the app talks to (scripts/lib/fake-telegram.ts, with its control API). */
  telegramApi: string;
  /** The stack's own (throwaway) database, for tests that must set up a state no UI can make. */
  databaseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL("../..", import.meta.url));

async function waitFor(url: string, child: ChildProcess, deadline: number, log: () => string): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`${url} did not answer in time:\n${log()}`);
}

/** Starts everything; `stop()` ends the whole process group and the database. */
export async function startStack(): Promise<Stack> {
  const [port, dbPort, smtpPort, mailPort, telegramPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const pg = await startEmbeddedPostgres({ port: dbPort });
  // The Bot API stand-in: bots connected in browser tests never reach the real Telegram.
  const telegram = await startFakeTelegram({ port: telegramPort });
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn("npm", ["run", "dev"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      CI: "true",
      PORT: String(port),
      DATABASE_URL: pg.url,
      CIP_DEV_SMTP_PORT: String(smtpPort),
      CIP_DEV_MAIL_UI_PORT: String(mailPort),
      FRONTEND_BASE_URL: baseUrl,
      // Empty values override .dev.vars: the offline model, MailDev, a random JWT secret.
      DEEPSEEK_API_KEY: "",
      DEEPSEEK_API_URL: "",
      SMTP_HOST: "",
      JWT_SECRET: "",
      // The local Turnstile stand-in (Cloudflare's test keys), never the real one.
      TURNSTILE_VERIFY_URL: "",
      TURNSTILE_SCRIPT_URL: "",
      TELEGRAM_API_URL: telegram.url,
      // The browser specs chat from one address much faster than a person: generous per-address limits
      // (counted by the Durable Object; the defaults are covered by the integration tests).
      CHAT_IP_MESSAGES_PER_MINUTE: "600",
      CHAT_IP_NEW_DIALOGS_PER_MINUTE: "600",
      // The platform operator (test/browser/operator.spec.ts): the tenant `ops` and its listed owner.
      PLATFORM_TENANT_SLUG: "ops",
      PLATFORM_ADMINS: "ops-admin@example.com",
    },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {
        // gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
      try {
        if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await pg.stop().catch(() => {});
    await telegram.stop().catch(() => {});
  };
  try {
    const deadline = Date.now() + 120_000;
    await waitFor(`${baseUrl}/api/v1/health`, child, deadline, () => output);
    await waitFor(`http://127.0.0.1:${mailPort}/api/healthz`, child, deadline, () => output);
    // `npm run dev` fills the demo tenant after the Worker answers: the demo specs need it done.
    while (!/demo cabinet/.test(output)) {
      if (Date.now() > deadline) throw new Error(`the demo was not filled in time:\n${output}`);
      if (child.exitCode !== null) throw new Error(`npm run dev exited (${child.exitCode}):\n${output}`);
      await new Promise((r) => setTimeout(r, 400));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const modelUrl = /OFFLINE stand-in model at (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? "";
  return {
    baseUrl,
    mailApi: `http://127.0.0.1:${mailPort}`,
    modelUrl,
    telegramApi: telegram.url,
    databaseUrl: pg.url,
    output: () => output,
    stop,
  };
}
