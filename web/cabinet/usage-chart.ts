/**
 * The usage chart: one stacked bar per day (prompt tokens below, completion tokens on top) drawn as
 * inline SVG, with a dashed line at the daily cap. The SVG is an image with a text summary for screen
 * readers; the same numbers are in the table the view puts next to it. Every label is a text node.
 */
import type { SchemaUsageReport } from "../shared/api-types.gen.ts";
import { getLocale } from "../shared/i18n.ts";
import { ct } from "./texts.ts";

/** One day of the usage report (`GET …/me/usage`, the API's `UsageReport` schema). */
export type ChartDay = SchemaUsageReport["days"][number];

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 12, bottom: 28, left: 56 };

type SvgAttrs = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: SvgAttrs,
  ...children: Array<SVGElement | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

function add(parent: SVGElement, child: SVGElement): void {
  parent.appendChild(child);
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A short number for axis labels (1.2K, 3M). */
export function compact(n: number): string {
  return new Intl.NumberFormat(getLocale(), { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** Day labels as "20.11" (ru) or "11-20" (en). */
function shortDay(day: string): string {
  const [, m, d] = day.split("-");
  return getLocale() === "ru" ? `${d}.${m}` : `${m}-${d}`;
}

/** The chart of `days` (oldest first); `cap` draws the daily cap when it is set. */
export function usageChart(days: ChartDay[], cap: number | null, titleId: string): SVGSVGElement {
  const peak = Math.max(0, ...days.map((d) => d.total_tokens));
  // A cap far above the bars would flatten them; it is drawn only when it is in their range.
  const showCap = cap !== null && peak > 0 && cap <= peak * 2;
  const max = niceCeil(Math.max(peak, showCap ? (cap ?? 0) : 0, 1));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, Math.min(28, slot * 0.7));

  const root = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "usage-chart",
    role: "img",
    "aria-labelledby": titleId,
  });
  for (const v of [0, max / 2, max]) {
    add(root, svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: "grid" }));
    add(root, svg("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, compact(v)));
  }
  days.forEach((d, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const tip = `${d.day}: ${d.total_tokens.toLocaleString(getLocale())} — ${ct("promptTokens")} ${d.prompt_tokens.toLocaleString(getLocale())}, ${ct("completionTokens")} ${d.completion_tokens.toLocaleString(getLocale())}, ${ct("replies")} ${d.replies}`;
    const bar = svg("g", { class: "bar", "data-day": d.day }, svg("title", {}, tip));
    if (d.prompt_tokens > 0) {
      const top = y(d.prompt_tokens);
      add(bar, svg("rect", { x, y: top, width: barW, height: y(0) - top, class: "prompt" }));
    }
    if (d.completion_tokens > 0) {
      const top = y(d.total_tokens);
      add(
        bar,
        svg("rect", { x, y: top, width: barW, height: y(d.prompt_tokens) - top, class: "completion" }),
      );
    }
    add(root, bar);
    // Counted from the last day, so today always has its label and labels never collide.
    if ((days.length - 1 - i) % Math.ceil(days.length / 8) === 0) {
      add(
        root,
        svg(
          "text",
          { x: x + barW / 2, y: HEIGHT - 8, "text-anchor": "middle", class: "axis" },
          shortDay(d.day),
        ),
      );
    }
  });
  if (showCap && cap !== null) {
    add(
      root,
      svg(
        "line",
        { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(cap), y2: y(cap), class: "cap" },
        svg("title", {}, `${ct("dailyCapLine")}: ${cap.toLocaleString(getLocale())}`),
      ),
    );
  }
  return root;
}
