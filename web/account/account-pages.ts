/**
 * Account pages of a tenant: /{slug}/register and /login here; /confirm, /forgot-password and
 * /reset-password in token-pages.ts. Forms check input like the API before sending and show the API's
 * own errors (the `{error:{code,message,issues}}` envelope) on their fields.
 */
import { ApiError, api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { createForm } from "../shared/forms.ts";
import { setLocale } from "../shared/i18n.ts";
import { applyAccent, notice, tenantFailure } from "../shared/page.ts";
import { saveSession } from "../shared/session.ts";
import { loadTenant, type PublicTenant } from "../shared/tenant.ts";
import { authShell, done, emailField, link, type Page, resendForm, takeToken } from "./account-ui.ts";
import { at } from "./texts.ts";
import { confirm, forgot, reset } from "./token-pages.ts";
import { checkPassword, checkText } from "./validate.ts";

const register: Page = (root, tenant) => {
  const body = authShell(root, tenant, at("registerTitle"));
  const form = createForm({
    fields: [
      emailField,
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
        name: "name",
        label: at("nameOptional"),
        autocomplete: "name",
        maxlength: 100,
        validate: checkText(100, false),
      },
    ],
    submit: at("registerSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      const email = v.email?.trim() ?? "";
      const name = v.name?.trim();
      await api(`/tenants/${tenant.id}/register`, {
        body: { email, password: v.password, ...(name ? { name } : {}) },
      });
      done(body, at("registerDone", { email }), link(`/${tenant.slug}/login`, at("toLogin")));
    },
  });
  replace(body, form.el, h("p", { class: "links" }, link(`/${tenant.slug}/login`, at("haveAccount"))));
};

/**
 * Under `npm run dev` only, the demo tenant's login page offers the demo owner's sign-in: the dev-only
 * route answers it on this machine (a 404 everywhere else, so the offer never shows in a deployment).
 */
async function demoOffer(tenant: PublicTenant, into: HTMLElement): Promise<void> {
  if (tenant.slug !== "demo") return;
  let demo: { tenant_id: string; email: string; password: string };
  try {
    demo = await api("/dev/demo-login");
  } catch {
    return;
  }
  if (demo.tenant_id !== tenant.id) return;
  const open = h(
    "button",
    { type: "button", class: "btn btn-primary", "data-action": "demo-login" },
    at("demoOpen"),
  );
  open.addEventListener("click", async () => {
    open.disabled = true;
    try {
      const res = await api<{ access_token: string; expires_in: number }>(`/tenants/${tenant.id}/login`, {
        body: { email: demo.email, password: demo.password },
      });
      saveSession(tenant.id, res.access_token, res.expires_in);
      location.assign(`/${tenant.slug}/my`);
    } catch {
      open.disabled = false;
    }
  });
  replace(into, h("div", { class: "demo-offer" }, h("p", null, at("demoOffer")), open));
}

const login: Page = (root, tenant) => {
  const body = authShell(root, tenant, at("loginTitle"));
  const extra = h("div");
  const offer = h("div");
  void demoOffer(tenant, offer);
  const form = createForm({
    fields: [
      emailField,
      {
        name: "password",
        label: at("password"),
        type: "password",
        autocomplete: "current-password",
        required: true,
        validate: (v) => (v ? null : at("errRequired")),
      },
    ],
    submit: at("loginSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      try {
        const res = await api<{ access_token: string; expires_in: number }>(`/tenants/${tenant.id}/login`, {
          body: { email: v.email?.trim(), password: v.password },
        });
        saveSession(tenant.id, res.access_token, res.expires_in);
      } catch (err) {
        if (err instanceof ApiError && err.code === "email_not_confirmed") {
          replace(extra, h("p", { class: "hint" }, at("notConfirmed")), resendForm(tenant));
        }
        throw err;
      }
      const next = new URLSearchParams(location.search).get("next") ?? "";
      location.assign(
        next.startsWith(`/${tenant.slug}/my`) && !next.includes("//") ? next : `/${tenant.slug}/my`,
      );
    },
  });
  replace(
    body,
    offer,
    form.el,
    h(
      "p",
      { class: "links" },
      link(`/${tenant.slug}/forgot-password`, at("forgot")),
      " · ",
      link(`/${tenant.slug}/register`, at("noAccount")),
    ),
    extra,
  );
};

const PAGES: Record<string, Page> = {
  register,
  login,
  confirm,
  "forgot-password": forgot,
  "reset-password": reset,
};

/** Mounts the account page `page` of tenant `slug`. */
export async function mountAccountPage(root: HTMLElement, slug: string, page: string): Promise<void> {
  takeToken(); // out of the address bar before anything else loads
  notice(root, "…");
  let tenant: PublicTenant;
  try {
    tenant = await loadTenant(slug);
  } catch (err) {
    return tenantFailure(root, err);
  }
  setLocale(tenant.locale);
  applyAccent(tenant.widget.color);
  await PAGES[page]?.(root, tenant);
}
