/**
 * The address of the runtime itself under `wrangler dev`: wrangler puts a dev proxy (a second workerd
 * running its ProxyWorker, for live reload) in front of the Worker's own workerd. Benchmarks that measure
 * the runtime, not the dev tooling, talk to the Worker's workerd directly.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { findDescendants } from "./process-tree.ts";

/** TCP ports `pid` listens on (IPv4 and IPv6), from /proc. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // the descriptor closed while we looked
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is "IP:PORT" in hex; state 0A is LISTEN; field 9 is the inode.
      if (f[3] === "0A" && f[9] && inodes.has(f[9]))
        ports.push(Number.parseInt(f[1]?.split(":")[1] ?? "", 16));
    }
  }
  return ports;
}

/**
 * The Worker's own workerd URL behind `wrangler dev` (whose public port is `publicPort`): the workerd
 * descendant of `wranglerPid` that is not the dev proxy, at the port where `probe(url)` answers true.
 */
export async function runtimeUrl(
  wranglerPid: number,
  publicPort: number,
  probe: (base: string) => Promise<boolean>,
): Promise<string> {
  return (await runtimeProcess(wranglerPid, publicPort, probe)).url;
}

/** Like `runtimeUrl`, with the pid of that workerd (its CPU time is the Worker's, objects included). */
export async function runtimeProcess(
  wranglerPid: number,
  publicPort: number,
  probe: (base: string) => Promise<boolean>,
): Promise<{ url: string; pid: number }> {
  for (const pid of findDescendants(wranglerPid, "workerd")) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline.includes(`entry=127.0.0.1:${publicPort}`)) continue;
    for (const port of listeningPorts(pid)) {
      const base = `http://127.0.0.1:${port}`;
      if (await probe(base).catch(() => false)) return { url: base, pid };
    }
  }
  throw new Error(`no workerd behind wrangler dev on port ${publicPort} answered the probe`);
}
