/**
 * The prompt's change history, under the chunk editor: who changed which chunk when and from where
 * (cabinet or setup chat), a word diff of its question and text, and a one-click restore of that version.
 * Loaded when opened, newest first, a page at a time; narrowed to one chunk from that chunk's card.
 */
import type { SchemaPromptChunkRevision } from "../../shared/api-types.gen.ts";
import { type DiffPart, diffWords } from "../../shared/diff.ts";
import { append, type Child, formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf } from "../context.ts";
import { type CabinetKey, ct } from "../texts.ts";
import { loadMore, statusLine } from "../ui.ts";

type Revision = SchemaPromptChunkRevision;

const ACTION: Record<Revision["action"], CabinetKey> = {
  create: "actionCreate",
  update: "actionUpdate",
  delete: "actionDelete",
  restore: "actionRestore",
};

/** `del`/`ins` runs of a word diff; unchanged runs as plain text. */
function diffView(parts: DiffPart[]): Child[] {
  return parts.map((p) =>
    p.op === "equal" ? p.text : h(p.op === "insert" ? "ins" : "del", { class: `diff-${p.op}` }, p.text),
  );
}

function field(label: string, before: string, after: string): HTMLElement {
  return h(
    "div",
    { class: "diff-field" },
    h("span", { class: "diff-label" }, label),
    h("div", { class: "diff" }, diffView(diffWords(before, after))),
  );
}

/** One change: what, who, where, when; the diff; and the restore button. */
function entry(ctx: CabinetContext, r: Revision, restored: () => Promise<void>): HTMLElement {
  const before = r.before ?? { position: 0, question: "", text: "" };
  const after = r.after ?? { position: 0, question: "", text: "" };
  const status = statusLine();
  const who = r.author ? (r.author.name ?? r.author.email) : ct("unknownAuthor");
  const where = ct(r.channel === "admin_chat" ? "channelAdminChat" : "channelCabinet");
  const restore = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", "data-restore": r.id },
    ct(r.action === "delete" && !r.chunk_exists ? "restoreDeleted" : "restoreVersion"),
  );
  restore.addEventListener("click", async () => {
    restore.disabled = true;
    try {
      const result = await ctx.call<{ revision: Revision | null }>(`/me/chunks/history/${r.id}/restore`, {
        method: "POST",
      });
      if (result.revision) await restored();
      else status.ok(ct("alreadyCurrent"));
    } catch (err) {
      status.error(err);
    } finally {
      restore.disabled = false;
    }
  });
  const moved =
    r.before && r.after && r.before.position !== r.after.position
      ? h("p", { class: "small muted" }, ct("moved", { from: r.before.position, to: r.after.position }))
      : null;
  const title = (r.after ?? r.before)?.question ?? "";
  return h(
    "li",
    { class: "card revision", "data-revision": r.id, "data-action": r.action },
    h(
      "p",
      { class: "revision-head" },
      h("strong", null, ct(ACTION[r.action])),
      ` · ${title.length > 80 ? `${title.slice(0, 80)}…` : title} · `,
      h("time", { datetime: r.created_at }, formatDate(r.created_at, getLocale())),
      ` · ${who} · ${where}`,
    ),
    moved,
    before.question !== after.question || r.action !== "update"
      ? field(ct("question"), before.question, after.question)
      : null,
    before.text !== after.text || r.action !== "update" ? field(ct("text"), before.text, after.text) : null,
    h("div", { class: "actions" }, restore),
    status.el,
  );
}

/** The panel; `refresh()` reloads it when open, `showChunk()` narrows it to one chunk and opens it. */
export function historyPanel(
  ctx: CabinetContext,
  changed: () => Promise<void>,
): { el: HTMLElement; refresh(): Promise<void>; showChunk(id: string, question: string): void } {
  let chunkId: string | null = null;
  let chunkQuestion = "";
  const list = h("ol", { class: "revisions" });
  const heading = h("p", { class: "muted" });
  const status = statusLine();
  const all = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", hidden: true },
    ct("allChanges"),
  );
  const more = h("div");
  const panel = h("details", { class: "history-panel" });

  // A refresh can start while another is loading (a save's reload racing a click): only the latest renders.
  let generation = 0;
  const load = async (cursor: string | null, gen = generation): Promise<boolean> => {
    const query = new URLSearchParams({ limit: "20" });
    if (chunkId) query.set("chunk_id", chunkId);
    if (cursor) query.set("cursor", cursor);
    const page = await ctx.call<PageOf<Revision>>(`/me/chunks/history?${query}`);
    if (gen !== generation) return false;
    append(
      list,
      page.items.map((r) => entry(ctx, r, changed)),
      !cursor && page.items.length === 0 ? h("li", { class: "muted" }, ct("historyEmpty")) : null,
    );
    const next = page.next_cursor;
    replace(more, next ? loadMore(() => load(next, gen)) : null);
    return next !== null;
  };
  const refresh = async () => {
    if (!panel.open) return;
    heading.textContent = chunkId ? ct("historyOf", { q: chunkQuestion.slice(0, 80) }) : ct("historyIntro");
    all.hidden = chunkId === null;
    generation += 1;
    replace(list);
    try {
      await load(null, generation);
    } catch (err) {
      status.error(err);
    }
  };
  panel.addEventListener("toggle", () => void refresh());
  all.addEventListener("click", () => {
    chunkId = null;
    void refresh();
  });
  replace(panel, h("summary", null, ct("history")), heading, all, status.el, list, more);
  return {
    el: panel,
    refresh,
    showChunk(id, question) {
      chunkId = id;
      chunkQuestion = question;
      if (panel.open) void refresh();
      else panel.open = true; // the toggle event loads it
      panel.scrollIntoView({ block: "start" });
    },
  };
}
