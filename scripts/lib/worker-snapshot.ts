/**
 * A private copy of the Worker's source for a measurement run. `wrangler dev` watches the files it
 * bundles and restarts the runtime when one changes; in a working tree others edit meanwhile, that
 * restart empties every Durable Object (cold tails) and moves the runtime to a new port (the run fails).
 * Bundling from a copy taken at the start keeps the run on one build.
 */
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./wrangler.ts";

/** Copies src/, public/ and the configs to a temp dir (dependencies linked); its wrangler.toml. */
export function snapshotWorker(): { config: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "cip-worker-snapshot-"));
  cpSync(join(ROOT, "src"), join(dir, "src"), { recursive: true });
  for (const file of ["wrangler.toml", "tsconfig.json", "package.json"])
    cpSync(join(ROOT, file), join(dir, file));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  // Copied too: a web build writing public/ (tests run it) would restart the runtime through the assets.
  cpSync(join(ROOT, "public"), join(dir, "public"), { recursive: true });
  return { config: join(dir, "wrangler.toml"), dir };
}
