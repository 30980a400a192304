/**
 * Documents for retrieval: upload with progress (always for review: the extracted text opens for
 * correction before it is indexed), list with each document's state, edit the text, search, delete.
 */
import { formatBytes, formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { PageOf, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, loadMore, statusLine } from "../ui.ts";
import { uploader, uploadFile } from "../upload.ts";
import { type Doc, openReview } from "./document-review.ts";

/** `/my/documents`. */
export const documentsView: View = async (ctx, main) => {
  const status = statusLine();
  const list = h("ul", { class: "cards" });
  const viewer = h("div", { class: "preview-box" });
  let cursor: string | null = null;
  const review = (d: Doc) =>
    openReview(ctx, viewer, d, () => void reload().catch(status.error), status.error);
  const card = (d: Doc) => {
    const li = h("li", { class: "card", "data-status": d.status });
    const edit = h("button", { type: "button", class: "btn btn-small" }, ct("docEditText"));
    edit.addEventListener("click", () => void review(d));
    const show = h("button", { type: "button", class: "btn btn-small btn-ghost" }, ct("viewText"));
    show.addEventListener("click", async () => {
      const doc = await ctx.call<Doc & { text: string }>(`/me/documents/${d.id}`).catch(status.error);
      if (doc)
        replace(
          viewer,
          h("h3", null, doc.title),
          h("pre", { class: "prompt-preview", tabindex: 0 }, doc.text),
        );
    });
    const remove = h("button", { type: "button", class: "btn btn-small btn-danger" }, ct("delete"));
    remove.addEventListener("click", async () => {
      if (!confirmDelete(d.title)) return;
      await ctx.call(`/me/documents/${d.id}`, { method: "DELETE" }).then(() => li.remove(), status.error);
    });
    replace(
      li,
      h(
        "p",
        null,
        h("strong", null, d.title),
        " ",
        h(
          "span",
          { class: `badge doc-status ${d.status}` },
          d.status === "draft" ? ct("docDraft") : ct("docReady"),
        ),
      ),
      h(
        "p",
        { class: "meta" },
        `${d.content_type} · ${formatBytes(d.size)} · ${ct("passages", { n: d.passage_count })} · ${formatDate(d.created_at, getLocale())}`,
      ),
      h("div", { class: "actions" }, edit, show, remove),
    );
    return li;
  };
  const fetchPage = async () => {
    const page = await ctx.call<PageOf<Doc>>("/me/documents", { query: { limit: 20, cursor } });
    for (const d of page.items) list.appendChild(card(d));
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
  const title = h("input", { id: "doc-title", maxlength: 200 });
  // The cabinet always uploads for review; API clients index at once unless they ask (?review=true).
  let uploaded: Doc | null = null;
  const upload = uploader({
    label: ct("uploadDocument"),
    accept: ".txt,.md,.markdown,.csv,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf",
    send: async (file, progress) => {
      uploaded = await uploadFile<Doc>(
        `/tenants/${ctx.tenant.id}/me/documents`,
        file,
        ctx.token(),
        progress,
        {
          title: title.value.trim() || undefined,
          review: "true",
        },
      );
    },
    onDone: async () => {
      title.value = "";
      await reload().catch(status.error);
      const doc = uploaded;
      uploaded = null;
      if (doc) await review(doc);
    },
    onError: status.error,
  });
  const q = h("input", { type: "search", id: "doc-search", maxlength: 500 });
  const hits = h("ul", { class: "cards", "aria-live": "polite" });
  const search = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!q.value.trim()) return;
        const res = await ctx
          .call<{ items: Array<{ title: string; snippet: string }> }>("/me/documents/search", {
            query: { q: q.value.trim() },
          })
          .catch(status.error);
        if (res)
          replace(
            hits,
            res.items.length
              ? res.items.map((hit) =>
                  h(
                    "li",
                    { class: "card" },
                    h("strong", null, hit.title),
                    h("p", { class: "small" }, hit.snippet),
                  ),
                )
              : h("li", { class: "muted" }, ct("empty")),
          );
      },
    },
    h("div", { class: "field grow" }, h("label", { for: q.id }, ct("searchDocs")), q),
    h("button", { type: "submit", class: "btn" }, ct("search")),
  );
  await reload();
  replace(
    main,
    h("div", { class: "field" }, h("label", { for: title.id }, ct("docTitle")), title),
    upload,
    status.el,
    list,
    more,
    search,
    hits,
    viewer,
  );
};
