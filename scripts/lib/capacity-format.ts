/**
 * Number formatting for docs/capacity.md. Locale-free on purpose: the doc is compared byte for byte by
 * `npm run capacity -- --check`, so the same inputs must print the same text on every machine.
 */

/** Digits with comma thousands separators: 1234567 → "1,234,567". */
export function grouped(n: number, decimals = 0): string {
  const [whole, fraction] = Math.abs(n).toFixed(decimals).split(".") as [string, string | undefined];
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}${withCommas}${fraction ? `.${fraction}` : ""}`;
}

/** A count, shortened past a million: 1234 → "1,234", 12_345_678 → "12.3 M", 4.2e9 → "4.2 B". */
export function count(n: number): string {
  if (n >= 1e12) return `${grouped(n / 1e12, 1)} T`;
  if (n >= 1e9) return `${grouped(n / 1e9, 1)} B`;
  if (n >= 1e6) return `${grouped(n / 1e6, 1)} M`;
  if (n >= 100) return grouped(n);
  if (n >= 10) return grouped(n, 1);
  return grouped(n, 2);
}

/** Dollars: whole dollars from $100 up, cents below, four decimals under a dollar's cent. */
export function usd(n: number): string {
  if (n >= 100) return `$${grouped(n)}`;
  if (n >= 0.01 || n === 0) return `$${grouped(n, 2)}`;
  return `$${n.toFixed(4)}`;
}

/** A share as a percentage: 0.254 → "25%". */
export function percent(share: number): string {
  return `${grouped(share * 100)}%`;
}

/** A markdown table from a header row and body rows. */
export function table(header: string[], rows: string[][], align: Array<"l" | "r"> = []): string {
  const rule = header.map((_, i) => (align[i] === "r" ? "---:" : "---"));
  return [header, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
