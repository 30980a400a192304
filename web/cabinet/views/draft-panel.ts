/**
 * The draft bar at the top of the prompt view and the preview under the editors (docs/cabinet.md "Draft
 * and publish"): whether the draft differs from what visitors get, in words; Publish and Discard; the
 * draft and the published prompt side by side with the line diff. Prompt text is owner and visitor text:
 * it only ever goes in as text nodes.
 */

import { ApiError } from "../../shared/api.ts";
import type {
  SchemaPromptDraft,
  SchemaPromptReleaseList,
  SchemaPromptState,
} from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext } from "../context.ts";
import { pt } from "../publish-texts.ts";
import { statusLine } from "../ui.ts";
import { diffBlock } from "./prompt-diff-view.ts";

type ReleaseMeta = Omit<SchemaPromptReleaseList["items"][number], "chunk_count" | "live">;
/** A published version in full (`GET …/me/prompt/releases/{version}`). */
export type Release = SchemaPromptState & ReleaseMeta;
/** `GET …/me/prompt`: the draft, the live version (null: never published) and how they differ. */
export type Draft = Omit<SchemaPromptDraft, "published"> & { published: Release | null };

/** The differences in words: "base prompt, chunks added: 2". */
export function changeWords(c: Draft["changes"]): string {
  const parts: string[] = [];
  if (c.base_prompt) parts.push(pt("changeBase"));
  if (c.welcome_text) parts.push(pt("changeWelcome"));
  if (c.starters) parts.push(pt("changeStarters"));
  if (c.chunks_added) parts.push(pt("chunksAdded", { n: c.chunks_added }));
  if (c.chunks_removed) parts.push(pt("chunksRemoved", { n: c.chunks_removed }));
  if (c.chunks_changed) parts.push(pt("chunksChanged", { n: c.chunks_changed }));
  if (c.chunks_moved) parts.push(pt("chunksMoved", { n: c.chunks_moved }));
  return parts.join(", ");
}

function liveLine(r: Release): string {
  const line = pt("draftLive", {
    v: r.version,
    when: formatDate(r.published_at, getLocale()),
    who: r.published_by?.email ?? pt("unknownPublisher"),
  });
  return r.restored_from ? `${line} (${pt("draftLiveRestored", { v: r.restored_from })})` : line;
}

/**
 * The bar and the preview. `refresh()` re-reads the draft and redraws both; `reset()` (after a discard)
 * reloads every editor of the view; `published()` runs after a publish (the versions list).
 */
export function draftPanel(
  ctx: CabinetContext,
  hooks: { reset(): Promise<void>; published(): Promise<void> },
): { bar: HTMLElement; preview: HTMLElement; refresh(): Promise<void> } {
  const state = h("p", { class: "draft-state", "aria-live": "polite" });
  const live = h("p", { class: "muted small draft-live" });
  const status = statusLine();
  const publish = h("button", { type: "button", class: "btn", "data-action": "publish" }, pt("publish"));
  const discard = h(
    "button",
    { type: "button", class: "btn btn-ghost", "data-action": "discard" },
    pt("discard"),
  );
  const bar = h(
    "section",
    { class: "card draft-bar", "data-draft": "loading", "aria-label": pt("draftTitle") },
    h("h3", null, pt("draftTitle")),
    h("p", { class: "muted small" }, pt("draftIntro")),
    state,
    live,
    h("div", { class: "actions" }, publish, discard),
    status.el,
  );
  const sides = h("div", { class: "prompt-sides" });
  const preview = h(
    "details",
    { class: "card prompt-compare" },
    h("summary", null, pt("previewTitle")),
    sides,
  );
  let current: Draft | null = null;

  const show = (d: Draft) => {
    current = d;
    const kind = d.published === null ? "never" : d.has_changes ? "changed" : "clean";
    bar.dataset.draft = kind;
    state.textContent =
      kind === "never"
        ? pt("draftNever")
        : kind === "changed"
          ? pt("draftChanged", { list: changeWords(d.changes) })
          : pt("draftClean");
    live.textContent = d.published ? liveLine(d.published) : "";
    publish.disabled = !d.has_changes;
    discard.disabled = !d.has_changes || d.published === null;
    replace(
      sides,
      h(
        "div",
        { class: "prompt-side", "data-side": "draft" },
        h("h4", null, pt("previewDraft")),
        h("pre", { class: "prompt-preview", tabindex: 0 }, d.draft.prompt),
      ),
      h(
        "div",
        { class: "prompt-side", "data-side": "published" },
        h(
          "h4",
          null,
          d.published ? pt("previewPublished", { v: d.published.version }) : pt("previewNothing"),
        ),
        d.published ? h("pre", { class: "prompt-preview", tabindex: 0 }, d.published.prompt) : null,
      ),
      diffBlock(d),
    );
  };
  const refresh = async () => show(await ctx.call<Draft>("/me/prompt"));

  publish.addEventListener("click", async () => {
    publish.disabled = true;
    try {
      const release = await ctx.call<Release>("/me/prompt/publish", { method: "POST" });
      await Promise.all([refresh(), hooks.published()]);
      status.ok(pt("published", { v: release.version }));
    } catch (err) {
      status.error(err instanceof ApiError && err.status === 409 ? pt("nothingToPublish") : err);
      await refresh().catch(() => {});
    }
  });
  discard.addEventListener("click", async () => {
    const v = current?.published?.version ?? 0;
    if (!window.confirm(pt("confirmDiscard", { v }))) return;
    discard.disabled = true;
    try {
      show(await ctx.call<Draft>("/me/prompt/discard", { method: "POST" }));
      status.ok(pt("discarded", { v }));
      await hooks.reset();
    } catch (err) {
      status.error(err);
      await refresh().catch(() => {});
    }
  });
  return { bar, preview, refresh };
}
