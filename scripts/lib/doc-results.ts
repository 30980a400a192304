/**
 * Keeps measured results in a markdown file next to the prose written around them: the block between
 * `<!-- results:KEY -->` and `<!-- /results:KEY -->` is replaced on each run (appended when missing; the
 * file is created with a title when it does not exist). Everything outside the markers stays as written;
 * the file is then formatted with Biome, as `npm run format` would.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const BIOME = fileURLToPath(new URL("../../node_modules/@biomejs/biome/bin/biome", import.meta.url));

export function writeResults(file: string, key: string, markdown: string, title: string): void {
  const start = `<!-- results:${key} -->`;
  const end = `<!-- /results:${key} -->`;
  const block = `${start}\n\n${markdown.trim()}\n\n${end}`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : `# ${title}\n`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  // The project's formatter aligns the tables, so the file passes `npm run lint` as written.
  spawnSync(process.execPath, [BIOME, "format", "--write", file], { stdio: "ignore" });
}

/** One line about the machine a number was taken on: cores, CPU, memory, Node, load average now. */
export function machineNote(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(" / ");
  return (
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load} (1/5/15 min)`
  );
}

/** A markdown table from a header and rows (cells are escaped for pipes and newlines). */
export function table(header: string[], rows: string[][]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
