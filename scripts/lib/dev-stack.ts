/**
 * Boots `npm run dev` as its own process group on free loopback ports (the way scripts/smoke.ts and the
 * browser tests do), waits until it answers, and finds what it started: the offline model's URL (from its
 * log line), MailDev's REST API when it runs, and the workerd processes (for memory samples).
 * `stop()` ends the whole group (SIGINT, then SIGKILL after 8 s).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.ts";
import { findDescendants } from "./process-tree.ts";
import { snapshotTree } from "./tree-snapshot.ts";

export interface DevStack {
  baseUrl: string;
  /** The offline stand-in model `npm run dev` started (scriptable, see fake-model.ts). */
  modelUrl: string;
  /** MailDev's REST API, when SMTP_HOST was not given. */
  mailApi: string | undefined;
  /**
   * The workerd processes of the stack now: wrangler runs two (its proxy in front, and the Worker with its
   * Durable Objects); a reload starts new ones.
   */
  workerdPids(): number[];
  /** How many times wrangler reloaded the Worker since start ("Reloading local server"). */
  reloads(): number;
  /** The directory `npm run dev` runs in (the tree, or its frozen copy). */
  cwd: string;
  /** The `npm run dev` process (root of the stack's process tree). */
  pid: number | undefined;
  output(): string;
  stop(): Promise<void>;
}

export interface DevStackOptions {
  /** Extra environment for `npm run dev` (DATABASE_URL, SMTP_HOST, ...). */
  env?: Record<string, string>;
  /** Run in a frozen copy of the tree (tree-snapshot.ts), so others' edits do not reload the Worker. */
  snapshot?: boolean;
  timeoutMs?: number;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

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
  throw new Error(`${url} did not answer in time:\n${log().slice(-4000)}`);
}

/** Ends the process group of `child`: SIGINT (dev's own clean shutdown), SIGKILL if it lingers. */
export async function stopGroup(child: ChildProcess, graceMs = 8000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, "SIGINT");
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  try {
    process.kill(-child.pid, "SIGKILL"); // whatever is left of the group (workerd, MailDev)
  } catch {
    // gone
  }
}

/** Starts `npm run dev` with the offline model (DEEPSEEK_* emptied) and waits for health. */
export async function startDevStack(opts: DevStackOptions = {}): Promise<DevStack> {
  const port = await freePort();
  const mailPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    CI: "true", // no web-build watcher
    PORT: String(port),
    CIP_DEV_DB_PORT: String(await freePort()),
    CIP_DEV_SMTP_PORT: String(await freePort()),
    CIP_DEV_MAIL_UI_PORT: String(mailPort),
    FRONTEND_BASE_URL: baseUrl,
    DEEPSEEK_API_KEY: "",
    DEEPSEEK_API_URL: "",
    JWT_SECRET: "",
    SMTP_HOST: "",
    // Load and fault runs measure the app, not the demo tenant's seeding turns.
    CIP_DEV_DEMO: "0",
    ...opts.env,
  };
  const tree = opts.snapshot ? snapshotTree(ROOT) : undefined;
  const cwd = tree?.dir ?? ROOT;
  const child = spawn("npm", ["run", "dev"], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // worker-configuration.d.ts types wrangler.toml's vars into ProcessEnv as required; a child's env
    // here is whatever this process chose.
    env: env as NodeJS.ProcessEnv,
  });
  let output = "";
  let reloadCount = 0;
  let ready = false;
  const keep = (d: Buffer) => {
    const text = d.toString();
    if (ready) reloadCount += text.split("Reloading local server").length - 1;
    output += text;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    await stopGroup(child);
    tree?.remove();
  };
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    await waitFor(`${baseUrl}/api/v1/health`, child, deadline, () => output);
    const mailApi = env.SMTP_HOST ? undefined : `http://127.0.0.1:${mailPort}`;
    if (mailApi) await waitFor(`${mailApi}/api/healthz`, child, deadline, () => output);
    const modelUrl = /OFFLINE stand-in model at (http:\/\/[\d.:]+)/.exec(output)?.[1];
    if (!modelUrl) throw new Error(`npm run dev did not start the offline model:\n${output}`);
    const workerdPids = () => (child.pid ? findDescendants(child.pid, "workerd") : []);
    if (workerdPids().length === 0) throw new Error("no workerd process under npm run dev");
    ready = true;
    return {
      baseUrl,
      modelUrl,
      mailApi,
      workerdPids,
      reloads: () => reloadCount,
      cwd,
      pid: child.pid,
      output: () => output,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
