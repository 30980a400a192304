/**
 * Dialogs: the filtered list (channel, lead, the visitors' rating, text, and triage's unread, archived and
 * days, dialog-triage.ts; the filters live in the address so they survive a reload); one dialog opens in
 * dialog-view.ts.
 */
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine } from "../ui.ts";
import { ratingFilterLabel, ratingOptions } from "./answer-ratings.ts";
import { triageActions, triageFilters, unreadMark } from "./dialog-triage.ts";
import { channelName, type DialogSummary, detailView } from "./dialog-view.ts";
import { dialogsExportPanel } from "./dialogs-export.ts";

function dialogItem(ctx: CabinetContext, d: DialogSummary, gone: (text: string) => void): HTMLElement {
  const item: HTMLElement = h(
    "li",
    {
      class: `card dialog-item${d.unread ? " unread" : ""}`,
      "data-dialog": d.id,
      "data-unread": String(d.unread),
    },
    unreadMark(d),
    h(
      "a",
      { href: ctx.href(`dialogs/${d.id}`), class: "card-link" },
      d.title ?? d.last_message_preview ?? ct("untitled"),
    ),
    h(
      "p",
      { class: "meta" },
      h("span", { class: "badge" }, channelName(d.channel)),
      d.has_lead ? h("span", { class: "badge badge-accent" }, ct("hasLead")) : null,
      d.taken_over_at ? h("span", { class: "badge badge-operator" }, ct("takenOverBadge")) : null,
      ` ${ct("messages", { n: d.message_count })} · ${formatDate(d.last_message_at, getLocale())}`,
    ),
    d.title && d.last_message_preview ? h("p", { class: "preview" }, d.last_message_preview) : null,
    // Archived, brought back or deleted: it leaves the list it was shown in.
    triageActions(ctx, d, (text) => {
      item.remove();
      gone(text);
    }),
  );
  return item;
}

async function listView(ctx: CabinetContext, main: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const select = (name: string, options: Array<[string, string]>) => {
    const el = h(
      "select",
      { name, id: `filter-${name}` },
      options.map(([v, label]) => h("option", { value: v }, label)),
    );
    el.value = params.get(name) ?? "";
    return el;
  };
  const channel = select("channel", [
    ["", ct("all")],
    ["web", ct("web")],
    ["telegram", ct("telegram")],
    ["admin", ct("admin")],
  ]);
  const lead = select("has_lead", [
    ["", ct("all")],
    ["true", ct("withLead")],
    ["false", ct("withoutLead")],
  ]);
  const rating = select("rating", ratingOptions());
  const triage = triageFilters(params);
  const q = h("input", {
    type: "search",
    name: "q",
    id: "filter-q",
    maxlength: 200,
    value: params.get("q") ?? "",
  });
  const list = h("ul", { class: "cards", "aria-live": "polite" });
  const status = statusLine();
  let cursor: string | null = null;
  const query = () => ({
    channel: channel.value,
    has_lead: lead.value,
    rating: rating.value,
    q: q.value.trim(),
    ...triage.values(),
    limit: 20,
  });
  const fetchPage = async (): Promise<boolean> => {
    const page = await ctx.call<PageOf<DialogSummary>>("/me/dialogs", { query: { ...query(), cursor } });
    for (const d of page.items) list.appendChild(dialogItem(ctx, d, (text) => status.ok(text)));
    if (!list.firstChild) list.appendChild(h("li", { class: "muted" }, ct("empty")));
    cursor = page.next_cursor;
    return cursor !== null;
  };
  const more = loadMore(fetchPage);
  const apply = async () => {
    const qs = new URLSearchParams(
      Object.entries(query()).filter(([k, v]) => v && k !== "limit") as Array<[string, string]>,
    );
    history.replaceState(null, "", `${location.pathname}${qs.toString() ? `?${qs}` : ""}`);
    replace(list);
    cursor = null;
    try {
      more.hidden = !(await fetchPage());
    } catch (err) {
      status.error(err);
    }
  };
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void apply();
      },
    },
    h("div", { class: "field" }, h("label", { for: channel.id }, ct("channel")), channel),
    h("div", { class: "field" }, h("label", { for: lead.id }, ct("leadFilter")), lead),
    h("div", { class: "field" }, h("label", { for: rating.id }, ratingFilterLabel()), rating),
    triage.fields,
    h("div", { class: "field grow" }, h("label", { for: q.id }, ct("searchText")), q),
    h("button", { type: "submit", class: "btn" }, ct("search")),
  );
  channel.addEventListener("change", () => void apply());
  lead.addEventListener("change", () => void apply());
  rating.addEventListener("change", () => void apply());
  for (const input of triage.inputs) input.addEventListener("change", () => void apply());
  // Members see their own dialogs only; the export is the tenant's, so it is the owners'.
  const exporter = ctx.profile.role === "owner" ? dialogsExportPanel(ctx) : null;
  replace(main, exporter, form, status.el, list, more);
  more.hidden = !(await fetchPage());
}

/** Dialogs list (`/my`, `/my/dialogs`) or one dialog (`/my/dialogs/{id}`). */
export const dialogsView: View = (ctx, main, params) =>
  params[0] ? detailView(ctx, main, params[0]) : listView(ctx, main);
