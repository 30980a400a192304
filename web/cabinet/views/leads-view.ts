/** Leads: contacts found in visitor messages, newest first, with a client-side CSV export of all of them. */
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine, table } from "../ui.ts";

interface Lead {
  id: string;
  kind: "email" | "phone";
  value: string;
  raw: string;
  dialog_id: string | null;
  created_at: string;
}

/** One CSV cell: quoted, and neutralized when a spreadsheet would read it as a formula. */
export function csvCell(value: string): string {
  const risky = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d\s()-]*$/.test(value));
  const safe = risky ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The CSV text of these leads (header row first, CRLF line ends as RFC 4180 says). */
export function leadsCsv(leads: Lead[]): string {
  const rows = [
    ["kind", "value", "raw", "dialog_id", "created_at"],
    ...leads.map((l) => [l.kind, l.value, l.raw, l.dialog_id ?? "", l.created_at]),
  ];
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

async function allLeads(ctx: CabinetContext): Promise<Lead[]> {
  const out: Lead[] = [];
  let cursor: string | null = null;
  do {
    const page: PageOf<Lead> = await ctx.call<PageOf<Lead>>("/me/leads", { query: { limit: 100, cursor } });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < 100_000);
  return out;
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
    const page = await ctx.call<PageOf<Lead>>("/me/leads", { query: { limit: 50, cursor } });
    rows.push(...page.items);
    cursor = page.next_cursor;
    draw();
    return cursor !== null;
  };
  const exportButton = h("button", { type: "button", class: "btn" }, ct("exportCsv"));
  exportButton.addEventListener("click", async () => {
    exportButton.disabled = true;
    try {
      const blob = new Blob([`\uFEFF${leadsCsv(await allLeads(ctx))}`], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const a = h("a", {
        href: url,
        download: `leads-${ctx.tenant.slug}-${new Date().toISOString().slice(0, 10)}.csv`,
      });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      status.error(err);
    } finally {
      exportButton.disabled = false;
    }
  });
  const more = loadMore(fetchPage);
  more.hidden = !(await fetchPage());
  replace(main, h("div", { class: "actions" }, exportButton), status.el, holder, more);
};
