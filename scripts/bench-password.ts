/**
 * Times one password hash with the parameters src/lib/passwords.ts uses (scrypt N=2^14, r=8, p=5,
 * 16-byte salt, 32-byte key) through node:crypto. workerd's node:crypto scrypt is the same
 * BoringSSL-backed implementation, so the figure carries over to the Worker (login, registration,
 * sign-up and password changes each pay it once; an unknown e-mail at login pays it too, on purpose).
 *
 * Run: npx node scripts/bench-password.ts [runs]   (Node 22 runs this file directly; default 20 runs)
 */
import { randomBytes, scrypt } from "node:crypto";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";

const PARAMS = { N: 2 ** 14, r: 8, p: 5 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const runs = Number(process.argv[2] ?? 20);

function hashOnce(password: string): Promise<number> {
  const salt = randomBytes(SALT_LENGTH);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 }, (err) =>
      err ? reject(err) : resolve(performance.now() - started),
    );
  });
}

function percentile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

await hashOnce("warm-up-password"); // first call pays for thread-pool start-up
const times: number[] = [];
for (let i = 0; i < runs; i++) times.push(await hashOnce(`violet-harbor-${i}-lantern`));
times.sort((a, b) => a - b);

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(
  `scrypt N=2^14 r=8 p=5 (memory ${(128 * PARAMS.N * PARAMS.r) / 1024 / 1024} MiB), ${runs} runs, ` +
    `Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}`,
);
console.log(
  `median ${fmt(percentile(times, 0.5))}  p95 ${fmt(percentile(times, 0.95))}  ` +
    `min ${fmt(times[0] ?? Number.NaN)}  max ${fmt(times[times.length - 1] ?? Number.NaN)}`,
);
