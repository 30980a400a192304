/** Saved items of the signed-in user: filter by kind, delete, and add a note. */
import type { SchemaSavedItem } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, loadMore, statusLine } from "../ui.ts";

type SavedItem = SchemaSavedItem;

const kindName = (k: SavedItem["kind"]) => ct(k);

function itemCard(ctx: CabinetContext, item: SavedItem, status: ReturnType<typeof statusLine>): HTMLElement {
  const li = h("li", { class: "card" });
  const remove = h("button", { type: "button", class: "btn btn-danger btn-small" }, ct("delete"));
  remove.addEventListener("click", async () => {
    if (!confirmDelete(item.note?.slice(0, 40) ?? kindName(item.kind))) return;
    try {
      await ctx.call(`/me/saved/${item.id}`, { method: "DELETE" });
      li.remove();
      status.ok(ct("deleted"));
    } catch (err) {
      status.error(err);
    }
  });
  replace(
    li,
    h(
      "p",
      { class: "meta" },
      h("span", { class: "badge" }, kindName(item.kind)),
      ` ${formatDate(item.created_at, getLocale())}`,
    ),
    item.note ? h("p", { class: "pre-line" }, item.note) : null,
    item.ref ? h("p", { class: "muted small" }, `${ct("ref")}: ${item.ref}`) : null,
    h("div", { class: "actions" }, remove),
  );
  return li;
}

/** `/my/saved`. */
export const savedView: View = async (ctx, main) => {
  const list = h("ul", { class: "cards" });
  const status = statusLine();
  const kind = h(
    "select",
    { id: "saved-kind" },
    [
      ["", ct("all")],
      ["message", ct("message")],
      ["lead", ct("lead")],
      ["image", ct("image")],
      ["note", ct("note")],
    ].map(([v, l]) => h("option", { value: v }, l)),
  );
  let cursor: string | null = null;
  const fetchPage = async () => {
    const page = await ctx.call<PageOf<SavedItem>>("/me/saved", {
      query: { kind: kind.value, cursor, limit: 20 },
    });
    for (const item of page.items) list.appendChild(itemCard(ctx, item, status));
    if (!list.firstChild) list.appendChild(h("li", { class: "muted" }, ct("empty")));
    cursor = page.next_cursor;
    return cursor !== null;
  };
  const more = loadMore(fetchPage);
  const reload = async () => {
    replace(list);
    cursor = null;
    more.hidden = !(await fetchPage());
  };
  kind.addEventListener("change", () => void reload().catch((err: unknown) => status.error(err)));
  const form = createForm({
    fields: [
      {
        name: "note",
        label: ct("note"),
        rows: 3,
        required: true,
        maxlength: 2000,
        validate: (v) => (v.trim() ? null : ct("empty")),
      },
      { name: "ref", label: ct("ref"), maxlength: 200 },
    ],
    submit: ct("addNote"),
    onSubmit: async (v) => {
      const ref = v.ref?.trim();
      await ctx.call("/me/saved", { body: { kind: "note", note: v.note?.trim(), ...(ref ? { ref } : {}) } });
      form.reset();
      await reload();
    },
  });
  await reload();
  replace(
    main,
    h(
      "div",
      { class: "filters" },
      h("div", { class: "field" }, h("label", { for: kind.id }, ct("kind")), kind),
    ),
    status.el,
    list,
    more,
    h("h3", null, ct("addNote")),
    form.el,
  );
};
