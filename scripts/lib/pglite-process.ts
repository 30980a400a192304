/**
 * The embedded Postgres of `npm run dev` (pglite-server.ts) in a process of its own, so a load client
 * does not share its event loop and a fault script can really stop and start it again.
 * Module: `spawnPglite({port, dataDir?})`. Entry point: `node scripts/lib/pglite-process.ts PORT [DATA_DIR]`
 * prints "ready" once it listens and closes the database cleanly on SIGTERM/SIGINT.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "./pglite-server.ts";

export interface PgliteProcess {
  url: string;
  pid(): number | undefined;
  /** Stops the server (clean close, data kept in dataDir) and waits for the process to end. */
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/** Starts the server process and resolves once it listens. */
export async function spawnPglite(opts: { port: number; dataDir?: string }): Promise<PgliteProcess> {
  const args = [SELF, String(opts.port), ...(opts.dataDir ? [opts.dataDir] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("PGlite did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`PGlite process exited (${code})`)));
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`,
    pid: () => child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const dataDir = process.argv[3];
  const pg = await startEmbeddedPostgres({ port, ...(dataDir ? { dataDir } : {}) });
  const close = () => {
    pg.stop()
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", close);
  process.on("SIGINT", close);
  process.stdout.write("ready\n");
}

if (process.argv[1] === SELF) {
  main().catch((err: unknown) => {
    console.error("pglite-process:", err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
