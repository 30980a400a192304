/**
 * The base prompt editor above the chunks: the tenant's own text or the platform default (marked as
 * such), a live "n / 8000" counter, save, back to the default, and the history with a word diff and a
 * one-click restore of any version. `changed` runs after every change (the chunk view's preview refresh).
 */
import { diffWords } from "../../shared/diff.ts";
import { codePoints, formatDate, h, replace, uid } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import { cst } from "../chat-settings-texts.ts";
import type { CabinetContext, PageOf } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";

interface Revision {
  id: string;
  action: "update" | "reset" | "restore";
  before: string | null;
  after: string | null;
  channel: "cabinet" | "admin_chat";
  author: { email: string; name: string | null } | null;
  created_at: string;
}
interface Base {
  text: string;
  is_default: boolean;
  updated_at: string | null;
  limits: { max_chars: number };
  revision?: Revision | null;
}

const ACTION = {
  update: "baseActionUpdate",
  reset: "baseActionReset",
  restore: "baseActionRestore",
} as const;

function revisionItem(r: Revision, restore: (r: Revision) => void): HTMLElement {
  const who = r.author ? (r.author.name ?? r.author.email) : ct("unknownAuthor");
  const before = r.before ?? cst("baseDefaultText");
  const after = r.after ?? cst("baseDefaultText");
  const diff = diffWords(before, after).map((p) =>
    p.op === "equal" ? p.text : h(p.op === "insert" ? "ins" : "del", { class: `diff-${p.op}` }, p.text),
  );
  return h(
    "li",
    { class: "card revision base-revision", "data-base-revision": r.id, "data-base-action": r.action },
    h(
      "p",
      { class: "revision-head" },
      h("strong", null, cst(ACTION[r.action])),
      " · ",
      h("time", { datetime: r.created_at }, formatDate(r.created_at, getLocale())),
      ` · ${who}`,
    ),
    h("div", { class: "diff" }, diff),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        { type: "button", class: "btn btn-ghost btn-small", onclick: () => restore(r) },
        cst("baseRestore"),
      ),
    ),
  );
}

/** The panel and a `refresh()` that reloads it. */
export function basePromptPanel(
  ctx: CabinetContext,
  changed: () => Promise<void>,
): { el: HTMLElement; refresh(): Promise<void> } {
  const id = uid("base");
  const area = h("textarea", { id, name: "base_prompt", rows: 10, "aria-describedby": `${id}-count` });
  const counter = h("span", { class: "counter", id: `${id}-count` });
  const note = h("p", { class: "muted", "data-base-state": "" });
  const status = statusLine();
  const history = h("ol", { class: "revisions" });
  let max = 8000;
  const count = () => {
    const n = codePoints(area.value.trim());
    counter.textContent = `${n} / ${max}`;
    counter.classList.toggle("over", n > max);
  };
  area.addEventListener("input", count);

  const show = (base: Base) => {
    max = base.limits.max_chars;
    area.value = base.text;
    area.dataset.default = String(base.is_default);
    area.dataset.loaded = base.text;
    note.textContent = base.is_default
      ? cst("baseDefault")
      : cst("baseOwn", { when: base.updated_at ? formatDate(base.updated_at, getLocale()) : "" });
    count();
  };
  const apply = async (request: () => Promise<Base>, done: string) => {
    try {
      const result = await request();
      show(result);
      if (result.revision === null) status.ok(cst("baseUnchanged"));
      else status.ok(done);
      await loadHistory();
      await changed();
    } catch (err) {
      status.error(err);
    }
  };
  const save = (text: string) =>
    apply(() => ctx.call<Base>("/me/prompt/base", { method: "PUT", body: { text } }), cst("baseSaved"));
  const restore = (r: Revision) =>
    void apply(
      () => ctx.call<Base>(`/me/prompt/base/history/${r.id}/restore`, { method: "POST" }),
      cst("baseRestored"),
    );
  const loadHistory = async () => {
    const page = await ctx.call<PageOf<Revision>>("/me/prompt/base/history?limit=20");
    replace(
      history,
      page.items.length === 0
        ? h("li", { class: "muted" }, cst("baseNoHistory"))
        : page.items.map((r) => revisionItem(r, restore)),
    );
  };

  const form = h(
    "form",
    { class: "card base-prompt", "data-form": "base-prompt" },
    h("h3", null, cst("baseTitle")),
    h("p", { class: "muted" }, cst("baseIntro")),
    note,
    h("div", { class: "field" }, h("label", { for: id, class: "sr-only" }, cst("baseTitle")), area, counter),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn" }, cst("baseSave")),
      h(
        "button",
        { type: "button", class: "btn btn-ghost", "data-action": "base-reset", onclick: () => void save("") },
        cst("baseReset"),
      ),
    ),
    status.el,
    h("details", { class: "base-history" }, h("summary", null, cst("baseHistory")), history),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (codePoints(area.value.trim()) > max) return status.error(cst("baseTooLong", { max }));
    // Saving the default text unchanged would make it the tenant's own copy: nothing to do.
    if (area.dataset.default === "true" && area.dataset.loaded === area.value)
      return status.ok(cst("baseUnchanged"));
    void save(area.value);
  });

  return {
    el: form,
    async refresh() {
      const base = await ctx.call<Base>("/me/prompt/base");
      show(base);
      await loadHistory();
    },
  };
}
