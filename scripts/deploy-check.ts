/**
 * `npm run deploy:check` (CI): bundles the Worker exactly as `npm run deploy` would (wrangler.toml as it
 * is, so its `minify` and `upload_source_maps` apply) with `wrangler deploy --dry-run`, then prints the
 * bundle's size raw and gzipped and fails above the budget. Offline: a dry run talks to no Cloudflare
 * API and needs no credentials; telemetry is off.
 *
 * The budget is ours, well under Cloudflare's own script limits: cold starts grow with the bundle, and a
 * dependency that quietly doubles it should be a decision, not a surprise (docs/decisions.md "Deploy").
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** Gzipped bytes of the Worker's modules (source maps excluded) that the check allows. */
const GZIP_BUDGET_BYTES = 1024 * 1024;

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), "cip-deploy-check-"));

try {
  const run = spawnSync(
    process.execPath,
    [`${root}node_modules/wrangler/bin/wrangler.js`, "deploy", "--dry-run", "--outdir", outdir],
    {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`wrangler deploy --dry-run failed (exit ${run.status})`);
  }
  // Wrangler's own figure, for comparison with what a real deploy prints.
  const wranglerLine = /Total Upload:[^\n]*/.exec(run.stdout)?.[0];

  // The modules wrangler would upload: the entry and any extra modules (wasm, text); not the maps,
  // which do not count towards the script size, nor the README wrangler writes next to them.
  const modules = readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".map") && e.name !== "README.md")
    .map((e) => join(e.parentPath, e.name));
  let raw = 0;
  let gzip = 0;
  for (const file of modules) {
    const bytes = readFileSync(file);
    raw += bytes.byteLength;
    gzip += gzipSync(bytes).byteLength;
  }
  const maps = readdirSync(outdir, { recursive: true }).filter((name) => String(name).endsWith(".map"));

  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`modules: ${modules.length}, source maps: ${maps.length}`);
  console.log(`raw:  ${raw} bytes (${kib(raw)})`);
  console.log(
    `gzip: ${gzip} bytes (${kib(gzip)}), budget ${GZIP_BUDGET_BYTES} bytes (${kib(GZIP_BUDGET_BYTES)})`,
  );
  if (wranglerLine) console.log(`wrangler: ${wranglerLine}`);
  if (gzip > GZIP_BUDGET_BYTES) {
    console.error(
      `deploy:check: the gzipped bundle is ${gzip - GZIP_BUDGET_BYTES} bytes over budget. Find what grew ` +
        "with `npx wrangler deploy --dry-run --outdir dist/bundle --metafile dist/bundle/meta.json` " +
        "(load meta.json into https://esbuild.github.io/analyze/).",
    );
    process.exitCode = 1;
  } else {
    console.log(`deploy:check: within budget (${kib(GZIP_BUDGET_BYTES - gzip)} to spare)`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
