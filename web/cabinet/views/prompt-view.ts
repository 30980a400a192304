/**
 * The prompt editor. Every edit goes to the draft (docs/cabinet.md "Draft and publish"): the draft bar on
 * top says what is unpublished and publishes or discards it. Then the base prompt (base-prompt-panel.ts),
 * the welcome text, the starter questions and the chunks: add, edit, delete and reorder chunks, with live
 * counters for the question (1000) and text (2000) limits counted in code points like the API. Under
 * them the draft and published prompts side by side with their diff, the sandbox that answers with the
 * draft, the published versions and the chunk history.
 */
import { codePoints, h, replace, uid } from "../../shared/dom.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, statusLine } from "../ui.ts";
import { basePromptPanel } from "./base-prompt-panel.ts";
import { draftPanel } from "./draft-panel.ts";
import { historyPanel } from "./prompt-history-panel.ts";
import { releasesPanel } from "./releases-panel.ts";
import { sandboxPanel } from "./sandbox-panel.ts";
import { startersPanel } from "./starters-panel.ts";
import { welcomePanel } from "./welcome-panel.ts";

interface Chunk {
  id: string;
  position: number;
  question: string;
  text: string;
}
interface ChunkList {
  items: Chunk[];
  limits: { question_max: number; text_max: number; chunks_max: number };
}

/** A labelled textarea with a live "n / max" counter; `valid()` mirrors the API's check. */
function limitedArea(label: string, name: string, max: number, value: string, rows: number) {
  const id = uid("chunk");
  const counter = h("span", { class: "counter", id: `${id}-count` });
  const area = h("textarea", { id, name, rows, "aria-describedby": `${id}-count`, "data-max": max });
  area.value = value;
  const valid = () => {
    const n = codePoints(area.value.trim());
    return n >= 1 && n <= max;
  };
  const update = () => {
    const n = codePoints(area.value.trim());
    counter.textContent = `${n} / ${max}`;
    counter.classList.toggle("over", n > max);
    if (n > max) area.setAttribute("aria-invalid", "true");
    else area.removeAttribute("aria-invalid");
  };
  area.addEventListener("input", update);
  update();
  const el = h("div", { class: "field" }, h("label", { for: id }, label), area, counter);
  return { el, area, valid, update };
}

function chunkEditor(
  ctx: CabinetContext,
  chunk: Chunk | null,
  list: ChunkList,
  reload: () => Promise<void>,
  showHistory: (chunk: Chunk) => void,
): HTMLElement {
  const status = statusLine();
  const q = limitedArea(ct("question"), "question", list.limits.question_max, chunk?.question ?? "", 2);
  const t = limitedArea(ct("text"), "text", list.limits.text_max, chunk?.text ?? "", chunk ? 4 : 5);
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await reload();
    } catch (err) {
      status.error(err);
    }
  };
  const save = h("button", { type: "submit", class: "btn" }, chunk ? ct("save") : ct("addChunk"));
  const form = h("form", {
    class: chunk ? "card chunk" : "card chunk chunk-new",
    "data-chunk": chunk?.id ?? "new",
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!q.valid() || !t.valid()) {
      (q.valid() ? t.area : q.area).focus();
      return status.error(
        ct("chunkFailed", { why: `1–${list.limits.question_max} / 1–${list.limits.text_max}` }),
      );
    }
    const body = { question: q.area.value.trim(), text: t.area.value.trim() };
    void run(() =>
      chunk
        ? ctx.call(`/me/prompt/chunks/${chunk.id}`, { method: "PATCH", body })
        : ctx.call("/me/prompt/chunks", { body }),
    );
  });
  const actions: Node[] = [save];
  if (chunk) {
    const move = (delta: number, label: string, disabled: boolean) =>
      h(
        "button",
        {
          type: "button",
          class: "btn btn-ghost btn-small",
          disabled,
          onclick: () =>
            void run(() =>
              ctx.call(`/me/prompt/chunks/${chunk.id}`, {
                method: "PATCH",
                body: { position: chunk.position + delta },
              }),
            ),
        },
        label,
      );
    actions.push(
      move(-1, `↑ ${ct("moveUp")}`, chunk.position <= 1),
      move(1, `↓ ${ct("moveDown")}`, chunk.position >= list.items.length),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-danger btn-small",
          onclick: () => {
            if (confirmDelete(chunk.question.slice(0, 60)))
              void run(() => ctx.call(`/me/prompt/chunks/${chunk.id}`, { method: "DELETE" }));
          },
        },
        ct("delete"),
      ),
      h(
        "button",
        { type: "button", class: "btn btn-ghost btn-small", onclick: () => showHistory(chunk) },
        ct("chunkHistory"),
      ),
    );
  }
  replace(
    form,
    chunk ? h("p", { class: "chunk-pos" }, `#${chunk.position}`) : h("h3", null, ct("addChunk")),
    q.el,
    t.el,
    h("div", { class: "actions" }, actions),
    status.el,
  );
  return form;
}

/** `/my/prompt`. */
export const promptView: View = async (ctx, main) => {
  const listEl = h("div", { class: "chunks" });
  const count = h("p", { class: "muted" });
  const startersEl = h("div");
  const history = historyPanel(ctx, () => reload());
  const showHistory = (c: Chunk) => history.showChunk(c.id, c.question);
  // A discard or a restore changes every part of the draft: every editor reloads.
  const reset = async () => {
    await Promise.all([reload(), base.refresh(), welcome.refresh(), loadStarters(), releases.refresh()]);
  };
  const draft = draftPanel(ctx, { reset, published: () => releases.refresh() });
  const releases = releasesPanel(ctx, reset);
  const reload = async () => {
    const list = await ctx.call<ChunkList>("/me/prompt/chunks");
    count.textContent = ct("chunkCount", { n: list.items.length, max: list.limits.chunks_max });
    replace(
      listEl,
      list.items.map((c) => chunkEditor(ctx, c, list, reload, showHistory)),
      chunkEditor(ctx, null, list, reload, showHistory),
    );
    await Promise.all([draft.refresh(), history.refresh()]);
  };
  const base = basePromptPanel(ctx, draft.refresh);
  const welcome = welcomePanel(ctx, draft.refresh);
  const loadStarters = async () => {
    replace(startersEl, await startersPanel(ctx, () => void draft.refresh()));
  };
  await Promise.all([reload(), base.refresh(), welcome.refresh(), loadStarters(), releases.refresh()]);
  replace(
    main,
    draft.bar,
    base.el,
    welcome.el,
    startersEl,
    h("p", { class: "muted" }, ct("promptIntro")),
    count,
    listEl,
    draft.preview,
    sandboxPanel(ctx),
    releases.el,
    history.el,
  );
};
