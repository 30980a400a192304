/**
 * The pages opened from mail links and their neighbour: /{slug}/confirm?token=, /reset-password?token=
 * and /forgot-password. The token is taken out of the address bar at once, so it does not stay in
 * history or leak in a Referer.
 */
import { ApiError, api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { createForm } from "../shared/forms.ts";
import { authShell, done, emailField, link, type Page, resendForm, takeToken } from "./account-ui.ts";
import { at } from "./texts.ts";
import { checkPassword } from "./validate.ts";

/** `/{slug}/confirm?token=`. */
export const confirm: Page = async (root, tenant) => {
  const body = authShell(root, tenant, at("confirmTitle"), h("p", { role: "status" }, at("confirming")));
  const token = takeToken();
  const toLogin = link(`/${tenant.slug}/login`, at("toLogin"));
  if (!token)
    return replace(body, h("p", { role: "alert", class: "error" }, at("tokenMissing")), resendForm(tenant));
  try {
    const res = await api<{ email: string }>(`/tenants/by-slug/${tenant.slug}/confirm`, { query: { token } });
    done(body, at("confirmed", { email: res.email }), toLogin);
  } catch (err) {
    const code = err instanceof ApiError ? err.code : "";
    if (code === "token_used") return done(body, at("tokenUsed"), toLogin);
    const text =
      code === "token_expired"
        ? at("tokenExpired")
        : err instanceof ApiError && code !== "invalid_token"
          ? err.message
          : at("confirmFailed");
    replace(body, h("p", { role: "alert", class: "error" }, text), resendForm(tenant));
  }
};

/** `/{slug}/forgot-password`. */
export const forgot: Page = (root, tenant) => {
  const body = authShell(root, tenant, at("forgotTitle"));
  const form = createForm({
    fields: [emailField],
    submit: at("forgotSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      const email = v.email?.trim() ?? "";
      await api(`/tenants/${tenant.id}/password/reset`, { body: { email } });
      done(body, at("forgotDone", { email }), link(`/${tenant.slug}/login`, at("toLogin")));
    },
  });
  replace(body, form.el, h("p", { class: "links" }, link(`/${tenant.slug}/login`, at("toLogin"))));
};

/** `/{slug}/reset-password?token=`. */
export const reset: Page = (root, tenant) => {
  const body = authShell(root, tenant, at("resetTitle"));
  const token = takeToken();
  if (!token)
    return replace(
      body,
      h("p", { role: "alert", class: "error" }, at("tokenMissing")),
      link(`/${tenant.slug}/forgot-password`, at("forgot")),
    );
  const form = createForm({
    fields: [
      {
        name: "password",
        label: at("password"),
        type: "password",
        autocomplete: "new-password",
        required: true,
        hint: at("passwordHint"),
        validate: checkPassword,
      },
      {
        name: "repeat",
        label: at("passwordRepeat"),
        type: "password",
        autocomplete: "new-password",
        required: true,
        validate: (v, all) => (v === all.password ? null : at("errPasswordMismatch")),
      },
    ],
    submit: at("resetSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      await api(`/tenants/${tenant.id}/password/reset/confirm`, { body: { token, password: v.password } });
      done(body, at("resetDone"), link(`/${tenant.slug}/login`, at("toLogin")));
    },
  });
  replace(body, form.el, h("p", { class: "links" }, link(`/${tenant.slug}/forgot-password`, at("forgot"))));
};
