/** The webhooks view's add form: a URL and the events; the answer's secret is shown once, then never. */

import { errorText } from "../../shared/api.ts";
import type { SchemaWebhookCreated } from "../../shared/api-types.gen.ts";
import { h, replace } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { type CabinetKey, ct } from "../texts.ts";
import { copyButton } from "../ui.ts";

const EVENTS: Array<[string, CabinetKey]> = [
  ["lead.created", "hookEventLead"],
  ["dialog.created", "hookEventDialog"],
  ["message.created", "hookEventMessage"],
];

type Created = SchemaWebhookCreated;

/** The form; the new hook's secret goes into `secretBox`, then the list reloads. */
export function webhookForm(
  ctx: CabinetContext,
  secretBox: HTMLElement,
  reload: () => Promise<void>,
): HTMLElement {
  const url = h("input", {
    id: "hook-url",
    name: "url",
    type: "url",
    required: true,
    maxlength: 2000,
    autocomplete: "off",
  });
  const error = h("p", { class: "form-status", "aria-live": "polite" });
  const boxes = EVENTS.map(([value, key]) => {
    const box = h("input", {
      type: "checkbox",
      id: `hook-event-${value.replace(".", "-")}`,
      name: "events",
      value,
    });
    box.checked = value === "lead.created";
    return { box, row: h("div", { class: "field field-check" }, box, h("label", { for: box.id }, ct(key))) };
  });
  const submit = h("button", { type: "submit", class: "btn" }, ct("hookAdd"));
  const form = h(
    "form",
    { class: "form card", novalidate: true, "data-form": "webhook" },
    h("h3", null, ct("hookAdd")),
    h("div", { class: "field" }, h("label", { for: url.id }, ct("hookUrl")), url),
    h(
      "fieldset",
      null,
      h("legend", null, ct("hookEvents")),
      boxes.map((b) => b.row),
    ),
    error,
    submit,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const events = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    const say = (text: string) => {
      error.className = "form-status error";
      error.setAttribute("role", "alert");
      error.textContent = text;
    };
    if (!url.value.trim()) return say(ct("hookUrlRequired"));
    if (events.length === 0) return say(ct("hookEventsRequired"));
    submit.disabled = true;
    try {
      const created = await ctx.call<Created>("/me/webhooks", {
        method: "POST",
        body: { url: url.value.trim(), events },
      });
      error.textContent = "";
      error.removeAttribute("role");
      url.value = "";
      replace(
        secretBox,
        h(
          "div",
          { class: "card", role: "status", "data-secret": created.id },
          h("p", null, ct("hookSecretOnce", { url: created.url })),
          h(
            "p",
            null,
            h("code", { class: "secret" }, created.secret),
            " ",
            copyButton(() => created.secret),
          ),
        ),
      );
      await reload();
    } catch (err) {
      say(errorText(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
