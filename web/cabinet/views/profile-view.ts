/**
 * Profile: name and language, lead alerts (lead-alerts-panel.ts), and a password change (which returns a
 * fresh token; other sessions end).
 */
import { checkPassword } from "../../account/validate.ts";
import { h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { saveSession } from "../../shared/session.ts";
import type { Profile, View } from "../context.ts";
import { ct } from "../texts.ts";
import { leadAlertsPanel } from "./lead-alerts-panel.ts";

type ProfileAnswer = Profile & { access_token?: { access_token: string; expires_in: number } };

/** `/my/profile`. */
export const profileView: View = async (ctx, main) => {
  const profile = await ctx.call<Profile>("/me/profile");
  const details = createForm({
    fields: [
      { name: "email", label: ct("email"), value: profile.email, type: "email" },
      { name: "name", label: ct("name"), value: profile.name ?? "", maxlength: 100, autocomplete: "name" },
      {
        name: "locale",
        label: ct("locale"),
        options: [
          ["ru", "Русский"],
          ["en", "English"],
        ],
        value: profile.locale ?? ctx.tenant.locale,
      },
    ],
    submit: ct("save"),
    onSubmit: async (v) => {
      await ctx.call<Profile>("/me/profile", {
        method: "PATCH",
        body: { name: v.name?.trim() || null, locale: v.locale },
      });
      details.setStatus(ct("saved_ok"), "ok");
    },
  });
  const email = details.input("email");
  email.setAttribute("readonly", "");
  const password = createForm({
    fields: [
      {
        name: "current_password",
        label: ct("currentPassword"),
        type: "password",
        autocomplete: "current-password",
        required: true,
        validate: (v) => (v ? null : ct("empty")),
      },
      {
        name: "new_password",
        label: ct("newPassword"),
        type: "password",
        autocomplete: "new-password",
        required: true,
        validate: checkPassword,
      },
    ],
    submit: ct("changePassword"),
    onSubmit: async (v) => {
      const res = await ctx.call<ProfileAnswer>("/me/profile", {
        method: "PATCH",
        body: { current_password: v.current_password, new_password: v.new_password },
      });
      if (res.access_token)
        saveSession(ctx.tenant.id, res.access_token.access_token, res.access_token.expires_in);
      password.reset();
      password.setStatus(ct("passwordChanged"), "ok");
    },
  });
  // Alerts go to owners only: a member's switch would change nothing.
  const alerts = profile.role === "owner" ? leadAlertsPanel(ctx, profile) : null;
  replace(main, details.el, alerts, h("h3", null, ct("changePassword")), password.el);
};
