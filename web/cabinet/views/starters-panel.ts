/**
 * The starter questions on the embed view: up to 6 fields, saved together (`PUT …/me/starters`); the
 * live preview reloads so the owner sees the chips at once.
 */
import { codePoints, h, uid } from "../../shared/dom.ts";
import { cst } from "../chat-settings-texts.ts";
import type { CabinetContext } from "../context.ts";
import { statusLine } from "../ui.ts";

interface Starters {
  starters: string[];
  limits: { max: number; max_chars: number };
}

/** The panel; `saved` runs after a save (the preview's reload). */
export async function startersPanel(ctx: CabinetContext, saved: () => void): Promise<HTMLElement> {
  const current = await ctx.call<Starters>("/me/starters");
  const { max, max_chars } = current.limits;
  const status = statusLine();
  const inputs = Array.from({ length: max }, (_, n) => {
    const id = uid("starter");
    const input = h("input", {
      id,
      name: `starter-${n + 1}`,
      maxlength: max_chars,
      "data-starter-input": "",
    });
    input.value = current.starters[n] ?? "";
    return {
      input,
      el: h("div", { class: "field" }, h("label", { for: id }, cst("startersQuestion", { n: n + 1 })), input),
    };
  });
  const form = h(
    "form",
    { class: "card starters-form", "data-form": "starters" },
    h("h3", null, cst("startersTitle")),
    h("p", { class: "muted" }, cst("startersIntro", { max, chars: max_chars })),
    inputs.map((i) => i.el),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, cst("startersSave"))),
    status.el,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const starters = inputs.map((i) => i.input.value.replace(/\s+/g, " ").trim()).filter(Boolean);
    if (new Set(starters.map((s) => s.toLocaleLowerCase())).size !== starters.length)
      return status.error(cst("startersDuplicate"));
    if (starters.some((s) => codePoints(s) > max_chars))
      return status.error(cst("baseTooLong", { max: max_chars }));
    void (async () => {
      try {
        const result = await ctx.call<Starters>("/me/starters", { method: "PUT", body: { starters } });
        inputs.forEach((i, n) => {
          i.input.value = result.starters[n] ?? "";
        });
        status.ok(cst("startersSaved"));
        saved();
      } catch (err) {
        status.error(err);
      }
    })();
  });
  return form;
}
