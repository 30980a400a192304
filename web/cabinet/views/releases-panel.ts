/**
 * The published versions of the prompt view, newest (live) first: who published when, how many chunks,
 * the prompt on demand, and a restore into the draft, or a restore that publishes at once.
 */
import type { SchemaPromptReleaseList } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext } from "../context.ts";
import { pt } from "../publish-texts.ts";
import { statusLine } from "../ui.ts";
import type { Release } from "./draft-panel.ts";

type Item = SchemaPromptReleaseList["items"][number];

/** The panel; `refresh()` reloads the list; `restored` runs after a restore (every editor reloads). */
export function releasesPanel(
  ctx: CabinetContext,
  restored: () => Promise<void>,
): { el: HTMLElement; refresh(): Promise<void> } {
  const list = h("ol", { class: "releases" });
  const status = statusLine();

  const restore = async (v: number, publish: boolean, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await ctx.call(`/me/prompt/releases/${v}/restore`, { method: "POST", body: { publish } });
      status.ok(pt(publish ? "releaseRestoredLive" : "releaseRestored", { v }));
      await restored();
    } catch (err) {
      status.error(err);
    } finally {
      button.disabled = false;
    }
  };

  const item = (r: Item): HTMLElement => {
    const prompt = h("div");
    const show = h("details", { class: "release-prompt" }, h("summary", null, pt("releaseShow")), prompt);
    show.addEventListener("toggle", async () => {
      if (!show.open || prompt.firstChild) return;
      try {
        const full = await ctx.call<Release>(`/me/prompt/releases/${r.version}`);
        replace(prompt, h("pre", { class: "prompt-preview", tabindex: 0 }, full.prompt));
      } catch (err) {
        status.error(err);
      }
    });
    const button = (label: string, action: string, publish: boolean) => {
      const b = h(
        "button",
        { type: "button", class: "btn btn-ghost btn-small", "data-action": action },
        label,
      );
      b.addEventListener("click", () => void restore(r.version, publish, b));
      return b;
    };
    return h(
      "li",
      { class: "card release", "data-version": r.version, "data-live": String(r.live) },
      h(
        "p",
        { class: "revision-head" },
        h("strong", null, pt("releaseVersion", { v: r.version })),
        r.live ? [" ", h("span", { class: "badge ok" }, pt("releaseLive"))] : null,
        " · ",
        h("time", { datetime: r.published_at }, formatDate(r.published_at, getLocale())),
        ` · ${pt("releaseBy", { who: r.published_by?.email ?? pt("unknownPublisher") })}`,
        ` · ${pt("releaseChunks", { n: r.chunk_count })}`,
        r.restored_from ? ` · ${pt("draftLiveRestored", { v: r.restored_from })}` : null,
      ),
      show,
      h(
        "div",
        { class: "actions" },
        button(pt("releaseRestore"), "restore", false),
        // Restoring the live version and publishing it would publish nothing new.
        r.live ? null : button(pt("releaseRestorePublish"), "restore-publish", true),
      ),
    );
  };

  const el = h(
    "section",
    { class: "releases-panel", "aria-label": pt("releasesTitle") },
    h("h3", null, pt("releasesTitle")),
    status.el,
    list,
  );
  return {
    el,
    async refresh() {
      const { items } = await ctx.call<SchemaPromptReleaseList>("/me/prompt/releases");
      replace(list, items.length === 0 ? h("li", { class: "muted" }, pt("releasesEmpty")) : items.map(item));
    },
  };
}
