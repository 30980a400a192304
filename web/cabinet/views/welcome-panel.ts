/**
 * The welcome text editor of the prompt view (`GET/PUT …/me/prompt/welcome`): the chat's first message
 * and Telegram's /start answer. Part of the draft: visitors get it once it is published.
 */
import type { SchemaWelcomeText } from "../../shared/api-types.gen.ts";
import { codePoints, h, uid } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { pt } from "../publish-texts.ts";
import { statusLine } from "../ui.ts";

/** The panel and a `refresh()` that reloads it; `changed` runs after a save (the draft bar). */
export function welcomePanel(
  ctx: CabinetContext,
  changed: () => Promise<void>,
): { el: HTMLElement; refresh(): Promise<void> } {
  const id = uid("welcome");
  const area = h("textarea", { id, name: "welcome_text", rows: 3, "aria-describedby": `${id}-count` });
  const counter = h("span", { class: "counter", id: `${id}-count` });
  const intro = h("p", { class: "muted" });
  const status = statusLine();
  let max = 500;
  const count = () => {
    const n = codePoints(area.value.trim());
    counter.textContent = `${n} / ${max}`;
    counter.classList.toggle("over", n > max);
  };
  area.addEventListener("input", count);
  const show = (w: SchemaWelcomeText) => {
    max = w.limits.max_chars;
    area.value = w.welcome_text ?? "";
    intro.textContent = pt("welcomeIntro", { max });
    count();
  };
  const form = h(
    "form",
    { class: "card welcome-form", "data-form": "welcome" },
    h("h3", null, pt("welcomeTitle")),
    intro,
    h(
      "div",
      { class: "field" },
      h("label", { for: id, class: "sr-only" }, pt("welcomeTitle")),
      area,
      counter,
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, pt("welcomeSave"))),
    status.el,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (codePoints(text) > max) return status.error(pt("welcomeTooLong", { max }));
    void (async () => {
      try {
        show(
          await ctx.call<SchemaWelcomeText>("/me/prompt/welcome", {
            method: "PUT",
            body: { welcome_text: text === "" ? null : text },
          }),
        );
        status.ok(pt("welcomeSaved"));
        await changed();
      } catch (err) {
        status.error(err);
      }
    })();
  });
  return {
    el: form,
    async refresh() {
      show(await ctx.call<SchemaWelcomeText>("/me/prompt/welcome"));
    },
  };
}
