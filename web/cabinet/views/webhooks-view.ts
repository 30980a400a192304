/**
 * Webhooks (owner): the tenant's hooks with their events, a test send and the delivery attempts of each,
 * delete; the form to add one is webhook-form.ts.
 */
import type { SchemaWebhook, SchemaWebhookDelivery } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";
import { confirmDelete, statusLine, table } from "../ui.ts";
import { webhookForm } from "./webhook-form.ts";

type Hook = SchemaWebhook;

type Attempt = SchemaWebhookDelivery;

const when = (iso: string) => formatDate(iso, getLocale());

/** The attempts of one hook, newest first. */
async function deliveriesPanel(ctx: CabinetContext, hook: Hook): Promise<HTMLElement> {
  const { items } = await ctx.call<{ items: Attempt[] }>(`/me/webhooks/${hook.id}/deliveries?limit=50`);
  const title = ct("hookDeliveriesOf", { url: hook.url });
  return h(
    "section",
    { class: "card", "data-deliveries": hook.id, "aria-label": title },
    h("h3", null, title),
    items.length === 0
      ? h("p", { class: "muted" }, ct("hookNoDeliveries"))
      : table(
          title,
          [ct("hookTime"), ct("hookEvent"), ct("hookAttempt"), ct("hookResult"), ct("hookNextTry")],
          items.map((a) => [
            when(a.attempted_at),
            a.event_type,
            String(a.attempt),
            h(
              "span",
              { class: a.ok ? "ok" : "health-bad", "data-ok": String(a.ok) },
              a.status_code !== null ? `HTTP ${a.status_code}` : "",
              a.error ? `${a.status_code !== null ? " — " : ""}${a.error}` : "",
            ),
            a.next_attempt_at ? when(a.next_attempt_at) : "—",
          ]),
        ),
  );
}

/** `/my/webhooks`. */
export const webhooksView: View = async (ctx, main) => {
  const status = statusLine();
  const list = h("div");
  const secretBox = h("div", { "aria-live": "polite" });
  const details = h("div");

  const reload = async () => {
    const { items } = await ctx.call<{ items: Hook[] }>("/me/webhooks");
    if (items.length === 0)
      return replace(list, h("p", { class: "muted", "data-empty": "webhooks" }, ct("hookNoHooks")));
    replace(
      list,
      table(
        ct("webhooks"),
        [ct("hookUrl"), ct("hookEvents"), ct("created"), ""],
        items.map((hook) => [
          h("code", null, hook.url),
          hook.events.join(", "),
          when(hook.created_at),
          actions(hook),
        ]),
      ),
    );
  };

  const actions = (hook: Hook): HTMLElement => {
    const button = (label: string, action: string) =>
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          "data-action": action,
          "aria-label": `${label}: ${hook.url}`,
        },
        label,
      );
    const test = button(ct("hookTest"), "test");
    const show = button(ct("hookDeliveries"), "deliveries");
    const del = button(ct("delete"), "delete");
    del.classList.add("btn-danger");
    test.addEventListener("click", async () => {
      test.disabled = true;
      try {
        const a = await ctx.call<Attempt>(`/me/webhooks/${hook.id}/test`, { method: "POST" });
        if (a.ok) status.ok(ct("hookTestOk", { status: String(a.status_code) }));
        else status.error(ct("hookTestFailed", { error: a.error ?? `HTTP ${a.status_code}` }));
        replace(details, await deliveriesPanel(ctx, hook));
      } catch (err) {
        status.error(err);
      } finally {
        test.disabled = false;
      }
    });
    show.addEventListener("click", async () => {
      try {
        replace(details, await deliveriesPanel(ctx, hook));
      } catch (err) {
        status.error(err);
      }
    });
    del.addEventListener("click", async () => {
      if (!confirmDelete(hook.url)) return;
      try {
        await ctx.call(`/me/webhooks/${hook.id}`, { method: "DELETE" });
        replace(details);
        replace(secretBox);
        status.ok(ct("deleted"));
        await reload();
      } catch (err) {
        status.error(err);
      }
    });
    return h("div", { class: "actions" }, test, show, del);
  };

  replace(
    main,
    h("p", { class: "muted" }, ct("webhooksIntro")),
    status.el,
    secretBox,
    list,
    webhookForm(ctx, secretBox, reload),
    details,
  );
  await reload();
};
