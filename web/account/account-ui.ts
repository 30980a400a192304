/** Building blocks of the account pages: the card, links, the token from mail links, shared fields. */
import { api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { createForm } from "../shared/forms.ts";
import { setTitle } from "../shared/page.ts";
import type { PublicTenant } from "../shared/tenant.ts";
import { at } from "./texts.ts";
import { checkEmail } from "./validate.ts";

/** An account page: fills `root` for `tenant`. */
export type Page = (root: HTMLElement, tenant: PublicTenant) => void | Promise<void>;

/** A plain link. */
export const link = (href: string, text: string) => h("a", { href }, text);

/** The card every account page sits in. */
export function authShell(
  root: HTMLElement,
  tenant: PublicTenant,
  title: string,
  ...content: Node[]
): HTMLElement {
  setTitle(title, tenant.name);
  const body = h("div", { class: "auth-body" }, content);
  replace(
    root,
    h(
      "main",
      { class: "auth" },
      h(
        "div",
        { class: "auth-card" },
        h("p", { class: "brand" }, h("a", { href: `/${tenant.slug}/chat` }, tenant.name)),
        h("h1", null, title),
        body,
      ),
    ),
  );
  root.setAttribute("aria-busy", "false");
  return body;
}

/** Replaces the page body with a success message and links. */
export const done = (body: HTMLElement, text: string, ...links: Node[]) =>
  replace(body, h("p", { class: "success", role: "status" }, text), h("p", { class: "links" }, links));

let taken: string | null | undefined;
/** Takes `?token=` out of the URL (once, at page start) and returns it. */
export function takeToken(): string | null {
  if (taken === undefined) {
    taken = new URLSearchParams(location.search).get("token");
    if (taken) history.replaceState(null, "", location.pathname);
  }
  return taken;
}

/** The e-mail field every form uses. */
export const emailField = {
  name: "email",
  label: at("email"),
  type: "email",
  autocomplete: "email",
  required: true,
  validate: checkEmail,
  maxlength: 254,
};

/** The "send the confirmation link again" form. */
export function resendForm(tenant: PublicTenant): HTMLElement {
  const form = createForm({
    fields: [emailField],
    submit: at("resendSubmit"),
    errorSummary: at("fixErrors"),
    onSubmit: async (v) => {
      await api(`/tenants/${tenant.id}/confirm/resend`, { body: { email: v.email?.trim() } });
      form.setStatus(at("resendDone", { email: v.email?.trim() ?? "" }), "ok");
    },
  });
  return h("section", { class: "resend" }, h("h2", null, at("resendTitle")), form.el);
}
