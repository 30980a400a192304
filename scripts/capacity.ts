/**
 * `npm run capacity`: regenerates docs/capacity.md, the capacity and cost model for 1 thousand, 100 thousand
 * and 1 million chats a day, from the bench's per-turn figures (scripts/capacity/measured.json, written by
 * `npm run bench`), the priced sources (scripts/capacity/prices.json) and the assumptions in
 * scripts/lib/capacity-assumptions.ts. Prints where each input came from and the headline numbers.
 * `npm run capacity -- --check` writes nothing and fails when the committed doc is not what the inputs give
 * (like `wrangler types --check`).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_ASSUMPTIONS, SCALES } from "./lib/capacity-assumptions.ts";
import { INPUT_FILES, renderCapacityDoc, staleness } from "./lib/capacity-doc.ts";
import { count, grouped, usd } from "./lib/capacity-format.ts";
import { hasSource, isPlaceholder, parseMeasured, parsePrices } from "./lib/capacity-inputs.ts";
import { firstLimit, limits } from "./lib/capacity-limits.ts";
import { modelScale } from "./lib/capacity-model.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const DOC = "docs/capacity.md";
const check = process.argv.includes("--check");

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(`${root}${path}`, "utf8"));
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const measured = parseMeasured(readJson(INPUT_FILES.measured));
const book = parsePrices(readJson(INPUT_FILES.prices));
const assumptions = DEFAULT_ASSUMPTIONS;
const scales = SCALES.map((c) => modelScale(c, measured, book.prices, assumptions));
const withoutFeed = SCALES.map((c) =>
  modelScale(c, measured, book.prices, { ...assumptions, feedOpenSecondsPerChat: 0 }),
);
const all = limits(book.prices, assumptions);
const doc = renderCapacityDoc({ measured, book, assumptions, scales, withoutFeed, limits: all });

console.log(
  isPlaceholder(measured)
    ? `measured: ${INPUT_FILES.measured} holds ESTIMATES (measured_at "${measured.measured_at}"): ${measured.command}`
    : `measured: ${INPUT_FILES.measured}, measured ${measured.measured_at} by \`${measured.command}\``,
);
const unsourced = book.entries.filter((e) => !hasSource(e));
const reads = [...new Set(book.entries.map((e) => e.read))].sort().join(", ");
console.log(
  `prices: ${INPUT_FILES.prices}, ${book.entries.length} entries from ${new Set(book.entries.map((e) => e.source)).size} pages, read ${reads}; ` +
    (unsourced.length ? `WITHOUT a source: ${unsourced.map((e) => e.key).join(", ")}` : "all with a source"),
);
console.log(`assumptions: ${INPUT_FILES.assumptions}`);
for (const s of scales) {
  console.log(
    `${grouped(s.chatsPerDay).padStart(9)} chats/day: ${usd(s.total)}/month, ${usd(s.perThousandChats)} per 1,000 chats ` +
      `(model ${usd(s.model.cost)}, Durable Objects ${usd(s.durableObjects.cost.total)}, Postgres ${usd(s.postgres.cost.total)}, ` +
      `Workers ${usd(s.workers.cost)}, R2 ${usd(s.r2.cost)}); ${count(s.model.concurrencyPeak)} model requests in flight at the peak`,
  );
}
const platform = firstLimit(all, "platform");
const tenant = firstLimit(all, "tenant");
console.log(
  `first bottleneck: ${platform.id} at ~${grouped(platform.chatsPerDay)} chats/day (platform); ` +
    `${tenant.id} at ~${grouped(tenant.chatsPerDay)} chats/day of one tenant`,
);

let committed: string | null = null;
try {
  committed = readFileSync(`${root}${DOC}`, "utf8");
} catch {
  // Missing counts as stale.
}
if (check) {
  const problem = staleness(committed, doc);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  console.log(`${DOC} is current`);
} else if (committed === doc) {
  console.log(`${DOC} unchanged`);
} else {
  writeFileSync(`${root}${DOC}`, doc);
  console.log(`wrote ${DOC}`);
}
