/** Starts `wrangler dev` (workerd) for a config, offline, and waits until it answers. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { toEnvFile } from "./settings.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface WranglerOptions {
  config?: string;
  port: number;
  ip?: string;
  vars: Record<string, string>;
  /** Hyperdrive binding name -> local connection string. */
  hyperdrive?: Record<string, string>;
  persistTo?: string;
  stdio?: "inherit" | "ignore" | "pipe";
  /** A name for the generated env file under .wrangler/. */
  name?: string;
  /** The DevTools inspector's port (wrangler picks a free one from 9229 without it). */
  inspectorPort?: number;
}

export function spawnWrangler(opts: WranglerOptions): ChildProcess {
  mkdirSync(`${ROOT}.wrangler`, { recursive: true });
  const envFile = `${ROOT}.wrangler/${opts.name ?? `dev-${opts.port}`}.env`;
  writeFileSync(envFile, toEnvFile(opts.vars), { mode: 0o600 });
  const args = [`${ROOT}node_modules/wrangler/bin/wrangler.js`, "dev", "--port", String(opts.port)];
  args.push("--ip", opts.ip ?? "127.0.0.1", "--env-file", envFile, "--show-interactive-dev-session=false");
  if (opts.config) args.push("--config", opts.config);
  if (opts.persistTo) args.push("--persist-to", opts.persistTo);
  if (opts.inspectorPort) args.push("--inspector-port", String(opts.inspectorPort));
  const hyperdriveEnv = Object.fromEntries(
    Object.entries(opts.hyperdrive ?? {}).map(([name, url]) => [
      `CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_${name}`,
      url,
    ]),
  );
  return spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: opts.stdio ?? "inherit",
    env: {
      ...process.env,
      ...hyperdriveEnv,
      // Offline by design: no cf-object download, no telemetry.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
    },
  });
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
