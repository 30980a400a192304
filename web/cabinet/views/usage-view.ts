/**
 * Usage: today and this month against the caps, the cost of the period, the visitors' ratings of
 * answers in it, a per-day chart of tokens (with
 * the same numbers, cache-hit prompt tokens too, as a table), the costliest dialogs, and the budget form
 * (caps and prices, cache-hit prompt tokens at their own price).
 */
import { h, replace, uid } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine, table } from "../ui.ts";
import { type ChartDay, usageChart } from "../usage-chart.ts";
import { ratingsCard } from "./answer-ratings.ts";
import { quotasCard, supportSessionsCard } from "./quotas-panel.ts";

interface Budget {
  daily_tokens: number | null;
  monthly_tokens: number | null;
  visitor_messages_per_hour: number | null;
  ip_messages_per_minute: number | null;
  ip_new_dialogs_per_minute: number | null;
  input_price_per_million: number | null;
  output_price_per_million: number | null;
  cached_input_price_per_million: number | null;
  currency: string | null;
  /** What is in force now, platform defaults included (read-only). */
  effective?: {
    ip_messages_per_minute: number;
    ip_new_dialogs_per_minute: number;
    platform_daily_tokens: number | null;
  };
}

/** A day of the report: the chart's numbers and the part of the prompt served from the model's cache. */
type ReportDay = ChartDay & { cache_hit_tokens: number };

interface Report {
  from: string;
  to: string;
  currency: string | null;
  days: ReportDay[];
  totals: Omit<ReportDay, "day">;
  today: { day: string; tokens: number; cap: number | null };
  month: { month: string; tokens: number; cap: number | null };
  top_dialogs: Array<{ dialog_id: string; tokens: number; replies: number }>;
  /** Visitors' ratings of answers given in the range (answer feedback). */
  feedback?: { up: number; down: number };
}

const num = (n: number) => n.toLocaleString(getLocale());

function money(value: number | null, currency: string | null): string {
  if (value === null) return "—";
  try {
    if (currency)
      return new Intl.NumberFormat(getLocale(), {
        style: "currency",
        currency,
        maximumFractionDigits: 6,
      }).format(value);
  } catch {
    // An unusual code Intl does not know: show it after the number.
  }
  return `${value.toLocaleString(getLocale(), { maximumFractionDigits: 6 })}${currency ? ` ${currency}` : ""}`;
}

/** A summary card: a title, the figure, and a meter against the cap when there is one. */
function capCard(title: string, used: number, cap: number | null, name: string): HTMLElement {
  const reached = cap !== null && used >= cap;
  return h(
    "div",
    { class: `card usage-card${reached ? " reached" : ""}`, "data-card": name },
    h("h3", null, title),
    h(
      "p",
      { class: "usage-figure" },
      cap === null
        ? ct("usedNoCap", { used: num(used) })
        : ct("usedOfCap", { used: num(used), cap: num(cap) }),
    ),
    cap !== null && cap > 0
      ? h("meter", { min: 0, max: cap, value: Math.min(used, cap), high: cap * 0.8, "aria-label": title })
      : null,
    reached ? h("p", { class: "small error", role: "status" }, ct("capReached")) : null,
  );
}

function chartSection(report: Report): HTMLElement {
  const titleId = uid("usage-title");
  let busiest: ChartDay | undefined;
  for (const d of report.days) if (!busiest || d.total_tokens > busiest.total_tokens) busiest = d;
  const summary =
    report.totals.total_tokens === 0 || !busiest
      ? ct("chartEmpty")
      : ct("chartSummary", {
          total: num(report.totals.total_tokens),
          replies: num(report.totals.replies),
          day: busiest.day,
          max: num(busiest.total_tokens),
        });
  const rows = report.days.map((d) => [
    d.day,
    num(d.prompt_tokens),
    num(d.cache_hit_tokens),
    num(d.completion_tokens),
    num(d.total_tokens),
    num(d.replies),
    money(d.cost, report.currency),
  ]);
  return h(
    "section",
    { class: "card usage-chart-card" },
    h("h3", { id: titleId }, ct("chartTitle", { from: report.from, to: report.to })),
    h("p", { class: "muted small" }, summary),
    report.totals.prompt_tokens > 0
      ? h(
          "p",
          { class: "muted small", "data-figure": "cache-hit" },
          ct("cacheSummary", {
            hit: num(report.totals.cache_hit_tokens),
            prompt: num(report.totals.prompt_tokens),
          }),
        )
      : null,
    h(
      "p",
      { class: "usage-legend small", "aria-hidden": "true" },
      h("span", { class: "swatch prompt" }),
      ct("promptTokens"),
      " ",
      h("span", { class: "swatch completion" }),
      ct("completionTokens"),
    ),
    usageChart(report.days, report.today.cap, titleId),
    h(
      "details",
      { class: "usage-table" },
      h("summary", null, ct("asTable")),
      table(
        ct("chartTitle", { from: report.from, to: report.to }),
        [
          ct("day"),
          ct("promptTokens"),
          ct("cacheHitTokens"),
          ct("completionTokens"),
          ct("totalTokens"),
          ct("replies"),
          ct("cost"),
        ],
        rows,
      ),
    ),
  );
}

function topDialogs(ctx: CabinetContext, report: Report): HTMLElement | null {
  if (report.top_dialogs.length === 0) return null;
  return h(
    "section",
    { class: "card" },
    h("h3", null, ct("topDialogs")),
    table(
      ct("topDialogs"),
      [ct("dialog"), ct("totalTokens"), ct("replies")],
      report.top_dialogs.map((d) => [
        h("a", { href: ctx.href(`dialogs/${d.dialog_id}`) }, d.dialog_id.slice(0, 8)),
        num(d.tokens),
        num(d.replies),
      ]),
    ),
  );
}

const WHOLE = /^\d{1,12}$/;
const PRICE = /^\d{1,5}(\.\d{1,6})?$/;
const value = (v: string | undefined) => (v ?? "").trim();
const numberOrNull = (v: string | undefined) => (value(v) === "" ? null : Number(value(v)));

function budgetForm(ctx: CabinetContext, budget: Budget, saved: () => Promise<void>) {
  const cap = (name: keyof Budget, label: string, hint = ct("capHint")) => ({
    name,
    label,
    type: "number",
    hint,
    value: budget[name] === null ? "" : String(budget[name]),
    validate: (v: string) => (value(v) === "" || WHOLE.test(value(v)) ? null : ct("wholeNumber")),
  });
  const price = (name: keyof Budget, label: string) => ({
    name,
    label,
    type: "number",
    value: budget[name] === null ? "" : String(budget[name]),
    validate: (v: string) => (value(v) === "" || PRICE.test(value(v)) ? null : ct("priceNumber")),
  });
  const form = createForm({
    fields: [
      cap(
        "daily_tokens",
        ct("dailyTokens"),
        budget.effective?.platform_daily_tokens
          ? `${ct("capHint")} ${ct("platformDailyCap", { n: budget.effective.platform_daily_tokens.toLocaleString() })}`
          : ct("capHint"),
      ),
      cap("monthly_tokens", ct("monthlyTokens")),
      cap("visitor_messages_per_hour", ct("visitorRate")),
      cap(
        "ip_messages_per_minute",
        ct("ipMessages"),
        ct("ipHint", { n: budget.effective?.ip_messages_per_minute ?? "—" }),
      ),
      cap(
        "ip_new_dialogs_per_minute",
        ct("ipNewDialogs"),
        ct("ipHint", { n: budget.effective?.ip_new_dialogs_per_minute ?? "—" }),
      ),
      price("input_price_per_million", ct("inputPrice")),
      price("output_price_per_million", ct("outputPrice")),
      {
        ...price("cached_input_price_per_million", ct("cachedInputPrice")),
        hint: ct("cachedInputPriceHint"),
      },
      {
        name: "currency",
        label: ct("currency"),
        hint: ct("currencyHint"),
        maxlength: 3,
        value: budget.currency ?? "",
        validate: (v) => (value(v) === "" || /^[A-Za-z]{3}$/.test(value(v)) ? null : ct("currencyHint")),
      },
    ],
    submit: ct("save"),
    onSubmit: async (v) => {
      await ctx.call<Budget>("/me/budget", {
        method: "PUT",
        body: {
          daily_tokens: numberOrNull(v.daily_tokens),
          monthly_tokens: numberOrNull(v.monthly_tokens),
          visitor_messages_per_hour: numberOrNull(v.visitor_messages_per_hour),
          ip_messages_per_minute: numberOrNull(v.ip_messages_per_minute),
          ip_new_dialogs_per_minute: numberOrNull(v.ip_new_dialogs_per_minute),
          input_price_per_million: numberOrNull(v.input_price_per_million),
          output_price_per_million: numberOrNull(v.output_price_per_million),
          cached_input_price_per_million: numberOrNull(v.cached_input_price_per_million),
          currency: value(v.currency) === "" ? null : value(v.currency).toUpperCase(),
        },
      });
      form.setStatus(ct("saved_ok"), "ok");
      await saved();
    },
  });
  for (const name of [
    "daily_tokens",
    "monthly_tokens",
    "visitor_messages_per_hour",
    "ip_messages_per_minute",
    "ip_new_dialogs_per_minute",
  ]) {
    const input = form.input(name);
    input.setAttribute("min", "0");
    input.setAttribute("step", "1");
    input.setAttribute("inputmode", "numeric");
  }
  for (const name of [
    "input_price_per_million",
    "output_price_per_million",
    "cached_input_price_per_million",
  ]) {
    form.input(name).setAttribute("min", "0");
    form.input(name).setAttribute("step", "any");
  }
  return form;
}

/** `/my/usage`. */
export const usageView: View = async (ctx, main) => {
  const status = statusLine();
  const report = h("div", { class: "usage-report", "aria-live": "polite" });
  const from = h("input", { type: "date", id: uid("usage-from"), name: "from" });
  const to = h("input", { type: "date", id: uid("usage-to"), name: "to" });

  const load = async () => {
    const r = await ctx.call<Report>("/me/usage", { query: { from: from.value, to: to.value } });
    from.value = r.from;
    to.value = r.to;
    replace(
      report,
      h(
        "div",
        { class: "usage-cards" },
        capCard(ct("usageToday"), r.today.tokens, r.today.cap, "today"),
        capCard(ct("usageMonth"), r.month.tokens, r.month.cap, "month"),
        h(
          "div",
          { class: "card usage-card", "data-card": "cost" },
          h("h3", null, ct("usageCost")),
          h(
            "p",
            { class: "usage-figure" },
            r.totals.cost === null ? ct("noPrice") : money(r.totals.cost, r.currency),
          ),
        ),
        ratingsCard(ctx, r.feedback),
      ),
      chartSection(r),
      topDialogs(ctx, r),
    );
  };
  const range = h(
    "form",
    { class: "usage-range" },
    h("label", { for: from.id }, ct("rangeFrom")),
    from,
    h("label", { for: to.id }, ct("rangeTo")),
    to,
    h("button", { type: "submit", class: "btn btn-small" }, ct("showRange")),
  );
  range.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await load();
      status.ok("");
    } catch (err) {
      status.error(err);
    }
  });

  const [budget, limits] = await Promise.all([ctx.call<Budget>("/me/budget"), limitCards(ctx), load()]);
  const form = budgetForm(ctx, budget, load);
  replace(
    main,
    h("p", { class: "muted" }, ct("usageIntro")),
    range,
    status.el,
    report,
    h("section", { class: "card usage-budget" }, h("h3", null, ct("budget")), form.el),
    limits,
  );
};

/** Quotas and support sessions (quotas-panel.ts); a failure leaves them out, never the view. */
async function limitCards(ctx: CabinetContext): Promise<HTMLElement[]> {
  const cards = await Promise.allSettled([quotasCard(ctx), supportSessionsCard(ctx)]);
  return cards.flatMap((c) => (c.status === "fulfilled" ? [c.value] : []));
}
