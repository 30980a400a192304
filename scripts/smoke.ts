/**
 * Boots `npm run dev` as a newcomer would and checks it serves within 60 s:
 * /api/v1/health -> {"status":"ok"}, /api/v1/tenants/by-slug/demo -> the demo tenant, /demo/chat -> HTML.
 * Prints how long start-up took. Used by .ci/run; stops everything it started.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./lib/free-port.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = await freePort();
const started = Date.now();
const child = spawn("npm", ["run", "dev"], {
  cwd: root,
  detached: true,
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    PORT: String(port),
    CIP_DEV_DB_PORT: String(await freePort()),
    CIP_DEV_SMTP_PORT: String(await freePort()),
    CIP_DEV_MAIL_UI_PORT: String(await freePort()),
  },
});
let output = "";
child.stdout.on("data", (d: Buffer) => (output += d.toString()));
child.stderr.on("data", (d: Buffer) => (output += d.toString()));

const base = `http://127.0.0.1:${port}`;
function stop(): void {
  try {
    if (child.pid) process.kill(-child.pid, "SIGINT");
  } catch {
    // already gone
  }
}

async function waitForHealth(deadline: number): Promise<unknown> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return await res.json();
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("health did not answer within 60 s");
}

try {
  const health = (await waitForHealth(started + 60_000)) as { status?: string };
  const readyMs = Date.now() - started;
  if (health.status !== "ok") throw new Error(`health: ${JSON.stringify(health)}`);
  const demo = (await (await fetch(`${base}/api/v1/tenants/by-slug/demo`)).json()) as { slug?: string };
  if (demo.slug !== "demo") throw new Error(`by-slug/demo: ${JSON.stringify(demo)}`);
  const page = await fetch(`${base}/demo/chat`, { headers: { accept: "text/html" } });
  const html = await page.text();
  if (!page.ok || !html.includes("<html")) throw new Error(`/demo/chat answered ${page.status}`);
  console.log(
    `smoke: npm run dev ready in ${(readyMs / 1000).toFixed(1)} s; health ok, demo tenant, /demo/chat ok`,
  );
  stop();
  process.exit(0);
} catch (err) {
  console.error(
    `smoke FAILED: ${err instanceof Error ? err.message : err}\n--- npm run dev output ---\n${output}`,
  );
  stop();
  process.exit(1);
}
