/** Leads: contacts found in visitor messages, newest first (a range of days), with a CSV export of all of them. */
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine, table } from "../ui.ts";
import { dateRangeFields } from "./dialog-triage.ts";
import { download } from "./files-view.ts";

interface Lead {
  id: string;
  kind: "email" | "phone";
  value: string;
  raw: string;
  dialog_id: string | null;
  created_at: string;
}

/** `/my/leads`. */
export const leadsView: View = async (ctx, main) => {
  const rows: Lead[] = [];
  const holder = h("div");
  const status = statusLine();
  let cursor: string | null = null;
  const draw = () =>
    replace(
      holder,
      rows.length === 0
        ? h("p", { class: "muted" }, ct("empty"))
        : table(
            ct("leads"),
            [ct("kind"), ct("value"), ct("raw"), ct("dialog"), ct("created")],
            rows.map((l) => [
              l.kind === "email" ? ct("email") : ct("phone"),
              h("strong", null, l.value),
              l.raw,
              l.dialog_id ? h("a", { href: ctx.href(`dialogs/${l.dialog_id}`) }, ct("dialog")) : "—",
              formatDate(l.created_at, getLocale()),
            ]),
          ),
    );
  const fetchPage = async () => {
    const page = await ctx.call<PageOf<Lead>>("/me/leads", {
      query: { limit: 50, cursor, ...range.values() },
    });
    rows.push(...page.items);
    cursor = page.next_cursor;
    draw();
    return cursor !== null;
  };
  // The server streams the export (every lead, CSV with formula cells neutralised): docs/cabinet.md.
  const exportButton = h("button", { type: "button", class: "btn" }, ct("exportCsv"));
  exportButton.addEventListener("click", async () => {
    exportButton.disabled = true;
    try {
      const day = new Date().toISOString().slice(0, 10);
      await download(ctx, "/me/leads/export?format=csv", `leads-${ctx.tenant.slug}-${day}.csv`);
    } catch (err) {
      status.error(err);
    } finally {
      exportButton.disabled = false;
    }
  });
  // A range of days (dialog-triage.ts): the list starts again from the newest lead in it.
  const range = dateRangeFields(async () => {
    rows.length = 0;
    cursor = null;
    try {
      more.hidden = !(await fetchPage());
    } catch (err) {
      status.error(err);
    }
  });
  const more = loadMore(fetchPage);
  more.hidden = !(await fetchPage());
  replace(main, h("div", { class: "actions" }, exportButton), range.el, status.el, holder, more);
};
