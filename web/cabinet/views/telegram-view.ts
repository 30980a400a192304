/**
 * Telegram: connect a bot by its token (the server checks it and sets the webhook), see the webhook's
 * health (Telegram's pending count and last error, our last received update), re-register it, disconnect.
 */
import type { SchemaTelegramStatus } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { View } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";

type TelegramStatus = SchemaTelegramStatus;

const when = (iso: string) => formatDate(iso, getLocale());

/** The webhook's state as a definition list; problems are marked so they stand out. */
function health(s: TelegramStatus): HTMLElement {
  const row = (term: string, value: string, bad = false) => [
    h("dt", null, term),
    h("dd", bad ? { class: "health-bad" } : null, value),
  ];
  const hook = s.webhook;
  const error = hook?.last_error_message
    ? `${hook.last_error_date ? `${when(hook.last_error_date)} — ` : ""}${hook.last_error_message}`
    : ct("none");
  return h(
    "dl",
    { class: "health-list", "data-health": "telegram" },
    ...(hook
      ? [
          row(ct("webhookUrl"), hook.url || ct("webhookNotSet"), !hook.url),
          row(ct("pendingUpdates"), String(hook.pending_update_count), hook.pending_update_count > 0),
          row(ct("lastErrorTerm"), error, Boolean(hook.last_error_message)),
        ]
      : [row(ct("webhookUrl"), ct("webhookUnknown"), true)]),
    row(ct("lastDelivery"), s.last_update_at ? when(s.last_update_at) : ct("noDeliveryYet")),
  );
}

const TOKEN = /^\d{5,12}:[A-Za-z0-9_-]{30,}$/;

/** `/my/telegram`. */
export const telegramView: View = async (ctx, main) => {
  const state = h("div", { class: "card", "aria-live": "polite" });
  const status = statusLine();
  const show = (s: TelegramStatus) => {
    const disconnect = h("button", { type: "button", class: "btn btn-danger btn-small" }, ct("disconnect"));
    const reregister = h(
      "button",
      { type: "button", class: "btn btn-small", "data-action": "reregister" },
      ct("reregister"),
    );
    reregister.addEventListener("click", async () => {
      reregister.disabled = true;
      try {
        show(await ctx.call<TelegramStatus>("/me/telegram/webhook", { method: "POST" }));
        status.ok(ct("reregistered"));
      } catch (err) {
        status.error(err);
      } finally {
        reregister.disabled = false;
      }
    });
    disconnect.addEventListener("click", async () => {
      try {
        await ctx.call("/me/telegram", { method: "DELETE" });
        show({ connected: false, bot_username: null, webhook: null, last_update_at: null });
      } catch (err) {
        status.error(err);
      }
    });
    replace(
      state,
      h(
        "p",
        null,
        h("strong", null, s.connected ? ct("connected", { bot: s.bot_username ?? "?" }) : ct("notConnected")),
      ),
      s.connected ? health(s) : null,
      s.connected ? h("div", { class: "actions" }, reregister, disconnect) : null,
    );
  };
  const form = createForm({
    fields: [
      {
        name: "bot_token",
        label: ct("botToken"),
        type: "password",
        autocomplete: "off",
        required: true,
        hint: ct("botTokenHint"),
        maxlength: 200,
        validate: (v) => (TOKEN.test(v.trim()) ? null : ct("botTokenHint")),
      },
    ],
    submit: ct("connect"),
    onSubmit: async (v) => {
      show(
        await ctx.call<TelegramStatus>("/me/telegram", {
          method: "PUT",
          body: { bot_token: v.bot_token?.trim() },
        }),
      );
      form.reset();
      form.setStatus(ct("saved_ok"), "ok");
    },
  });
  show(await ctx.call<TelegramStatus>("/me/telegram"));
  replace(main, state, status.el, form.el);
};
