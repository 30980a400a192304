/**
 * Dialog triage in the cabinet (docs/cabinet.md, "Dialog triage"): the unread mark of a dialog, its
 * Archive / Unarchive and (owners) Delete actions, and the list's triage filters (unread only, archived,
 * a range of days), which live in the address like the list's other filters.
 */
import { h } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { tt } from "../triage-texts.ts";
import { statusLine } from "../ui.ts";

/** What triage needs of a dialog, as the list and the dialog route give it. */
export interface TriageFields {
  id: string;
  unread: boolean;
  archived_at: string | null;
}

/** The dot before an unread dialog's title (its word for screen readers); null when read. */
export function unreadMark(d: TriageFields): HTMLElement | null {
  if (!d.unread) return null;
  return h(
    "span",
    { class: "unread-dot", title: tt("unreadBadge") },
    h("span", { class: "sr-only" }, tt("unreadBadge")),
  );
}

/**
 * Archive / Unarchive, and Delete for owners (after a confirmation). `done` gets the confirmation text once
 * the dialog has left the list it was shown in (archived, brought back or deleted).
 */
export function triageActions(
  ctx: CabinetContext,
  d: TriageFields,
  done: (text: string, deleted: boolean) => void,
): HTMLElement {
  const status = statusLine();
  const archived = d.archived_at !== null;
  const button = (action: string, label: string, danger = false) =>
    h(
      "button",
      {
        type: "button",
        class: `btn btn-small ${danger ? "btn-danger" : "btn-ghost"}`,
        "data-action": action,
      },
      label,
    );
  const archive = button(archived ? "unarchive" : "archive", archived ? tt("unarchive") : tt("archive"));
  archive.addEventListener("click", async () => {
    archive.disabled = true;
    try {
      await ctx.call(`/me/dialogs/${d.id}`, { method: "PATCH", body: { archived: !archived } });
      done(archived ? tt("unarchivedOk") : tt("archivedOk"), false);
    } catch (err) {
      status.error(err);
      archive.disabled = false;
    }
  });
  const remove = ctx.profile.role === "owner" ? button("delete", tt("deleteDialog"), true) : null;
  remove?.addEventListener("click", async () => {
    if (!window.confirm(tt("confirmDeleteDialog"))) return;
    remove.disabled = true;
    try {
      await ctx.call(`/me/dialogs/${d.id}`, { method: "DELETE" });
      done(tt("dialogDeleted"), true);
    } catch (err) {
      status.error(err);
      remove.disabled = false;
    }
  });
  return h("div", { class: "actions dialog-actions" }, archive, remove, status.el);
}

/** The list's triage filters, read from and written to the address with the others. */
export function triageFilters(params: URLSearchParams): {
  fields: HTMLElement[];
  inputs: HTMLInputElement[];
  values(): Record<string, string>;
} {
  const check = (name: string, label: string) => {
    const input = h("input", { type: "checkbox", name, id: `filter-${name}` });
    input.checked = params.get(name) === "true";
    return { input, field: h("label", { class: "field check", for: input.id }, input, ` ${label}`) };
  };
  const day = (name: string, label: string) => {
    const input = h("input", { type: "date", name, id: `filter-${name}`, value: params.get(name) ?? "" });
    return { input, field: h("div", { class: "field" }, h("label", { for: input.id }, label), input) };
  };
  const unread = check("unread", tt("unreadOnly"));
  const archived = check("archived", tt("showArchived"));
  const from = day("from", tt("dateFrom"));
  const to = day("to", tt("dateTo"));
  return {
    fields: [unread.field, archived.field, from.field, to.field],
    inputs: [unread.input, archived.input, from.input, to.input],
    values: () => ({
      unread: unread.input.checked ? "true" : "",
      archived: archived.input.checked ? "true" : "",
      from: from.input.value,
      to: to.input.value,
    }),
  };
}

/** The leads view's range of days (`from`, `to`), changes reported to `changed`. */
export function dateRangeFields(changed: () => void): {
  el: HTMLElement;
  values(): Record<string, string>;
} {
  const day = (name: string, label: string) => {
    const input = h("input", { type: "date", name, id: `leads-${name}` });
    input.addEventListener("change", changed);
    return { input, field: h("div", { class: "field" }, h("label", { for: input.id }, label), input) };
  };
  const from = day("from", tt("dateFrom"));
  const to = day("to", tt("dateTo"));
  return {
    el: h("div", { class: "filters" }, from.field, to.field),
    values: () => ({ from: from.input.value, to: to.input.value }),
  };
}
