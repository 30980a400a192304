/**
 * A frozen copy of the work tree for a measurement: `wrangler dev` rebuilds and restarts the Worker (and
 * its Durable Objects) whenever a file under the project changes, so on a tree that others are editing a
 * long run would measure their edits. The copy holds everything but node_modules (symlinked), .git,
 * .dev-data, .wrangler, test/ and docs/; `npm run dev` runs inside it as it would in a fresh checkout.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

const LEFT_OUT = new Set(["node_modules", ".git", ".dev-data", ".wrangler", "test", "docs", "coverage"]);

export interface TreeSnapshot {
  dir: string;
  remove(): void;
}

/** Copies `root` (a directory path ending in "/" or not) to a new temporary directory. */
export function snapshotTree(root: string): TreeSnapshot {
  const dir = mkdtempSync(join(tmpdir(), "cip-tree-"));
  cpSync(root, dir, {
    recursive: true,
    filter: (src) => !LEFT_OUT.has(relative(root, src).split(sep)[0] ?? ""),
  });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
