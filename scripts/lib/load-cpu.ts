/** CPU time of a load run: the dev stack per process, the load client, the whole machine (docs/load.md). */
import type { DevStack } from "./dev-stack.ts";
import { machineCpu, treeCpuMeter } from "./process-tree.ts";

/** CPU seconds used during the run: the dev stack per process, this load client, the whole machine. */
export interface CpuUse {
  workerd: number;
  /** Every process of `npm run dev` by label (workerd, wrangler's Node, dev.ts's Node with the model, ...). */
  stack: Map<string, number>;
  client: number;
  machineBusy: number;
  machineTotal: number;
}

/** Starts counting; the function it returns gives the CPU used since. */
export function cpuMeter(stack: DevStack): () => CpuUse {
  const client0 = process.cpuUsage();
  const machine0 = machineCpu();
  const tree = stack.pid === undefined ? () => new Map<string, number>() : treeCpuMeter(stack.pid);
  return () => {
    const client = process.cpuUsage(client0);
    const machine = machineCpu();
    const used = tree();
    return {
      workerd: used.get("workerd") ?? Number.NaN,
      stack: used,
      client: (client.user + client.system) / 1e6,
      machineBusy: machine.busy - machine0.busy,
      machineTotal: machine.total - machine0.total,
    };
  };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");

/** One line for the report: workerd per turn, the stack by process, the client, the machine. */
export function cpuText(cpu: CpuUse, turns: number): string {
  const stackTotal = [...cpu.stack.values()].reduce((a, b) => a + b, 0);
  const parts = [...cpu.stack]
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([label, s]) => `${label} ${f1(s)} s`);
  const others = cpu.machineBusy - stackTotal - cpu.client;
  return (
    `workerd ${f1(cpu.workerd)} s = **${f1((1000 * cpu.workerd) / Math.max(1, turns))} ms per turn**; ` +
    `npm run dev in all ${f1(stackTotal)} s (${parts.join(", ")}); load client ${f1(cpu.client)} s; ` +
    `the machine's cores were ${f1((100 * cpu.machineBusy) / cpu.machineTotal)} % busy, ` +
    `${f1(others)} core-s of it by processes outside this run (Postgres, other work on the machine)`
  );
}
