/** Telegram: connect a bot by its token (the server checks it and sets the webhook), see its state, disconnect. */
import { h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import type { View } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";

interface TelegramStatus {
  connected: boolean;
  bot_username: string | null;
  webhook: { url: string; pending_update_count: number; last_error_message: string | null } | null;
}

const TOKEN = /^\d{5,12}:[A-Za-z0-9_-]{30,}$/;

/** `/my/telegram`. */
export const telegramView: View = async (ctx, main) => {
  const state = h("div", { class: "card", "aria-live": "polite" });
  const status = statusLine();
  const show = (s: TelegramStatus) => {
    const disconnect = h("button", { type: "button", class: "btn btn-danger btn-small" }, ct("disconnect"));
    disconnect.addEventListener("click", async () => {
      try {
        await ctx.call("/me/telegram", { method: "DELETE" });
        show({ connected: false, bot_username: null, webhook: null });
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
      s.webhook ? h("p", { class: "small" }, ct("webhook", { url: s.webhook.url })) : null,
      s.webhook ? h("p", { class: "small" }, ct("pending", { n: s.webhook.pending_update_count })) : null,
      s.webhook?.last_error_message
        ? h("p", { class: "small error" }, ct("lastError", { error: s.webhook.last_error_message }))
        : null,
      s.connected ? h("div", { class: "actions" }, disconnect) : null,
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
