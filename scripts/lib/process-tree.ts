/** Linux /proc helpers: a process's descendants, its resident memory (VmRSS) and CPU time. */
import { readdirSync, readFileSync } from "node:fs";

/** Parent pid and command name of `pid`, or undefined when it is gone. */
function stat(pid: number): { ppid: number; comm: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ")".
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const ppid = Number(text.slice(close + 2).split(" ")[1]);
    return { ppid, comm };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** The descendants of `root` whose command name starts with `comm` (e.g. "workerd"), oldest first. */
export function findDescendants(root: number, comm: string): number[] {
  return descendants(root).filter((pid) => stat(pid)?.comm.startsWith(comm));
}

/** Resident set size of `pid` in MiB, or undefined when it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    const kb = Number(line?.match(/(\d+)\s*kB/)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux for x86 and arm). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) `pid` has used so far, in seconds; undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The whole machine's CPU time so far, busy and total, in seconds summed over all cores (/proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** A short name for `pid`: its command, or for Node the script it runs (wrangler, dev.ts, maildev, ...). */
export function processLabel(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const command = (args[0] ?? "").split("/").pop() ?? "";
    if (command !== "node" && !command.startsWith("node")) return command;
    const script = args.find((a, i) => i > 0 && !a.startsWith("-"));
    return `node ${script?.split("/").slice(-2).join("/") ?? ""}`.trim();
  } catch {
    return "gone";
  }
}

/** CPU seconds per process label used by `root`'s process tree between `start()` and the call it returns. */
export function treeCpuMeter(root: number): () => Map<string, number> {
  const before = new Map(descendants(root).map((pid) => [pid, cpuSeconds(pid) ?? 0]));
  return () => {
    const used = new Map<string, number>();
    for (const pid of new Set([...before.keys(), ...descendants(root)])) {
      const now = cpuSeconds(pid);
      if (now === undefined) continue;
      const label = processLabel(pid);
      used.set(label, (used.get(label) ?? 0) + now - (before.get(pid) ?? 0));
    }
    return used;
  };
}
