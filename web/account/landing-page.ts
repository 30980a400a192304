/** The landing page `/` and `/signup`: what CIP is, the demo chat, and tenant sign-up (`POST /tenants`). */
import { api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { createForm } from "../shared/forms.ts";
import { getLocale } from "../shared/i18n.ts";
import { setTitle } from "../shared/page.ts";
import { at } from "./texts.ts";
import { checkEmail, checkPassword, checkSlug, checkText } from "./validate.ts";

/** Mounts the landing page; `focusSignup` puts the focus in the sign-up form (the /signup address). */
export function mountLanding(root: HTMLElement, focusSignup: boolean): void {
  setTitle(at("landingTitle"));
  const result = h("div", { "aria-live": "polite" });
  const form = createForm({
    fields: [
      {
        name: "slug",
        label: at("slug"),
        required: true,
        hint: at("slugHint", { slug: "acme" }),
        maxlength: 40,
        validate: checkSlug,
        autocomplete: "off",
      },
      {
        name: "name",
        label: at("tenantName"),
        required: true,
        maxlength: 100,
        validate: checkText(100),
        autocomplete: "organization",
      },
      {
        name: "email",
        label: at("email"),
        type: "email",
        autocomplete: "email",
        required: true,
        validate: checkEmail,
        maxlength: 254,
      },
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
        name: "locale",
        label: at("language"),
        options: [
          ["ru", "Русский"],
          ["en", "English"],
        ],
        value: getLocale(),
      },
    ],
    submit: at("signupSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      const slug = v.slug?.trim() ?? "";
      const email = v.email?.trim() ?? "";
      await api("/tenants", {
        body: { slug, name: v.name?.trim(), email, password: v.password, locale: v.locale },
      });
      replace(
        result,
        h("p", { class: "success", role: "status" }, at("signupDone", { email, slug })),
        h("p", { class: "links" }, h("a", { href: `/${slug}/login` }, at("toLogin"))),
      );
      form.el.hidden = true;
    },
  });
  const slugInput = form.input("slug");
  slugInput.addEventListener("input", () => {
    slugInput.value = slugInput.value.toLowerCase().replace(/[^a-z0-9-]/g, "");
  });
  replace(
    root,
    h(
      "main",
      { class: "auth landing" },
      h(
        "div",
        { class: "auth-card" },
        h("p", { class: "brand" }, "CIP"),
        h("h1", null, at("landingTitle")),
        h("p", { class: "muted" }, at("landingLead")),
        h("p", { class: "links" }, h("a", { href: "/demo/chat", class: "btn btn-ghost" }, at("demo"))),
        h("h2", { id: "signup" }, at("signupTitle")),
        h("p", { class: "muted" }, at("signupLead")),
        form.el,
        result,
      ),
    ),
  );
  root.setAttribute("aria-busy", "false");
  if (focusSignup) slugInput.focus();
}
