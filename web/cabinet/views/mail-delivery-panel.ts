/**
 * The members view's "Mail delivery" panel: account e-mails the mail server refused (confirmation,
 * password reset, "already registered"), with the error and attempts, and a Retry that sends the mail
 * again with a fresh link. Rows a retry delivered stay listed as delivered.
 */
import type { SchemaMailDelivery } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, PageOf } from "../context.ts";
import { type CabinetKey, ct } from "../texts.ts";
import { loadMore, statusLine, table } from "../ui.ts";

type Delivery = SchemaMailDelivery;

const KIND_KEYS: Record<string, CabinetKey> = {
  confirm: "mail_confirm",
  reset: "mail_reset",
  already_registered: "mail_already_registered",
  lead_alert: "mail_lead_alert",
};
/** Alerts are about a moment that has passed: they are listed, not sent again. */
const NOT_RESENT = new Set(["lead_alert"]);

/** The panel element; it loads itself. */
export function mailDeliveryPanel(ctx: CabinetContext): HTMLElement {
  const status = statusLine();
  const holder = h("div", { class: "mail-failures" });
  const more = h("div");
  const items: Delivery[] = [];

  const render = () => {
    if (items.length === 0) {
      replace(holder, h("p", { class: "muted", "data-empty": "mail" }, ct("mailNoFailures")));
      return;
    }
    replace(
      holder,
      table(
        ct("mailDelivery"),
        [
          ct("mailKind"),
          ct("mailTo"),
          ct("mailStatus"),
          ct("mailError"),
          ct("mailAttempts"),
          ct("mailLastAttempt"),
          "",
        ],
        items.map((d) => [
          ct(KIND_KEYS[d.kind] ?? "mail_confirm"),
          d.to_email,
          h(
            "span",
            { class: d.status === "failed" ? "health-bad" : "ok", "data-status": d.status },
            ct(d.status === "failed" ? "mailFailed" : "mailSent"),
          ),
          d.error ?? "—",
          String(d.attempts),
          formatDate(d.last_attempt_at, getLocale()),
          d.status === "failed" && !NOT_RESENT.has(d.kind) ? retryButton(d) : null,
        ]),
      ),
    );
  };

  const retryButton = (d: Delivery) => {
    const button = h(
      "button",
      {
        type: "button",
        class: "btn btn-small",
        "data-retry": d.id,
        "aria-label": `${ct("mailRetry")}: ${d.to_email}`,
      },
      ct("mailRetry"),
    );
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const updated = await ctx.call<Delivery>(`/me/mail/failures/${d.id}/retry`, { method: "POST" });
        items.splice(items.indexOf(d), 1, updated);
        render();
        if (updated.status === "sent") status.ok(ct("mailRetried", { to: updated.to_email }));
        else status.error(updated.error ?? ct("mailFailed"));
      } catch (err) {
        button.disabled = false;
        status.error(err);
      }
    });
    return button;
  };

  const load = async (cursor: string | null): Promise<boolean> => {
    const query = new URLSearchParams({ limit: "20" });
    if (cursor) query.set("cursor", cursor);
    const page = await ctx.call<PageOf<Delivery>>(`/me/mail/failures?${query}`);
    items.push(...page.items);
    render();
    const next = page.next_cursor;
    replace(more, next ? loadMore(() => load(next)) : null);
    return next !== null;
  };
  load(null).catch((err: unknown) => status.error(err));

  return h(
    "section",
    { class: "card mail-delivery", "aria-labelledby": "mail-delivery-title" },
    h("h2", { id: "mail-delivery-title" }, ct("mailDelivery")),
    h("p", { class: "muted small" }, ct("mailIntro")),
    status.el,
    holder,
    more,
  );
}
