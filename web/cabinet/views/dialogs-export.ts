/**
 * The dialogs export panel (owners): JSON lines or CSV of the dialogs created within a range of days,
 * streamed by the server (GET …/me/dialogs/export, docs/cabinet.md) and saved as a file.
 */
import { h } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";
import { download } from "./files-view.ts";

/** A collapsed panel with the format, the days and the download button. */
export function dialogsExportPanel(ctx: CabinetContext): HTMLElement {
  const status = statusLine();
  const format = h(
    "select",
    { id: "export-format", name: "format" },
    h("option", { value: "jsonl" }, ct("exportJsonl")),
    h("option", { value: "csv" }, ct("exportCsvRows")),
  );
  const day = (id: string) => h("input", { type: "date", id, name: id.replace("export-", "") });
  const from = day("export-from");
  const to = day("export-to");
  const button = h("button", { type: "submit", class: "btn" }, ct("exportDialogs"));
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const query = new URLSearchParams({ format: format.value });
        if (from.value) query.set("from", from.value);
        if (to.value) query.set("to", to.value);
        button.disabled = true;
        try {
          const today = new Date().toISOString().slice(0, 10);
          await download(
            ctx,
            `/me/dialogs/export?${query}`,
            `dialogs-${ctx.tenant.slug}-${today}.${format.value}`,
          );
          status.ok("");
        } catch (err) {
          status.error(err);
        } finally {
          button.disabled = false;
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: format.id }, ct("exportFormat")), format),
    h("div", { class: "field" }, h("label", { for: from.id }, ct("exportFrom")), from),
    h("div", { class: "field" }, h("label", { for: to.id }, ct("exportTo")), to),
    button,
  );
  return h("details", { class: "export-panel" }, h("summary", null, ct("exportTitle")), form, status.el);
}
