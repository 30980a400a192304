/**
 * The owner's lead alerts in the profile: the `notify_leads` switch (saved as it changes) and linking their
 * own Telegram with the tenant's bot (a one-time t.me link) or unlinking it.
 */
import type { SchemaTelegramOwnerLink } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, Profile } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";

type OwnerLink = SchemaTelegramOwnerLink;

export function leadAlertsPanel(ctx: CabinetContext, profile: Profile): HTMLElement {
  const status = statusLine();
  const box = h("input", {
    type: "checkbox",
    id: "notify-leads",
    name: "notify_leads",
    "aria-describedby": "notify-leads-hint",
  });
  box.checked = profile.notify_leads;
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      const saved = await ctx.call<Profile>("/me/profile", {
        method: "PATCH",
        body: { notify_leads: box.checked },
      });
      box.checked = saved.notify_leads;
      status.ok(ct("saved_ok"));
    } catch (err) {
      box.checked = !box.checked;
      status.error(err);
    } finally {
      box.disabled = false;
    }
  });
  const telegram = h("div", { "data-telegram-link": "" });
  const showTelegram = (linked: boolean) => {
    const button = h(
      "button",
      { type: "button", class: "btn btn-small" },
      ct(linked ? "tgUnlink" : "tgLink"),
    );
    const offer = h("div", { "aria-live": "polite" });
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        if (linked) {
          await ctx.call("/me/telegram/owner-link", { method: "DELETE" });
          showTelegram(false);
          return;
        }
        const link = await ctx.call<OwnerLink>("/me/telegram/owner-link", { method: "POST" });
        replace(
          offer,
          h("p", null, ct("tgLinkOpen", { time: formatDate(link.expires_at, getLocale()) })),
          h(
            "p",
            null,
            h("a", { href: link.url, target: "_blank", rel: "noopener", "data-owner-link": "" }, link.url),
          ),
        );
      } catch (err) {
        status.error(err);
      } finally {
        button.disabled = false;
      }
    });
    replace(
      telegram,
      h("p", null, ct(linked ? "tgLinked" : "tgNotLinked")),
      h("div", { class: "actions" }, button),
      offer,
    );
  };
  showTelegram(profile.telegram_linked);
  return h(
    "section",
    { class: "card", "aria-labelledby": "alerts-title" },
    h("h3", { id: "alerts-title" }, ct("alertsTitle")),
    h(
      "div",
      { class: "field field-check" },
      box,
      h("label", { for: box.id }, ct("notifyLeads")),
      h("p", { class: "hint", id: "notify-leads-hint" }, ct("notifyLeadsHint")),
    ),
    status.el,
    telegram,
  );
}
