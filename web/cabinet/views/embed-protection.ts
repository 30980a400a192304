/**
 * The embed view's second form: protected embed, Cloudflare Turnstile (site key; the secret is write-only,
 * the API only says `has_secret`), the conversation policy for returning visitors, and the host page API
 * with a copy-paste example. Saved through the same `PUT .../me/embed/settings` as the first form.
 */

import { ApiError, errorText } from "../../shared/api.ts";
import type { SchemaEmbed } from "../../shared/api-types.gen.ts";
import { h } from "../../shared/dom.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { copyButton } from "../ui.ts";

/** The part of the embed settings (`…/me/embed/settings`, the API's `Embed` schema) this form edits. */
export type ProtectionSettings = Pick<
  SchemaEmbed,
  "allowed_origins" | "protected_embed" | "turnstile" | "conversation"
>;

type Policy = ProtectionSettings["conversation"]["policy"];

/** The host page code the view (and docs/frontend.md) shows. */
export function hostApiExample(scriptHtml: string): string {
  return `${scriptHtml}
<script>
  // Events from the chat come to this page's own window.
  window.addEventListener("message", (e) => {
    if (e.source !== window || !e.data || typeof e.data.type !== "string") return;
    switch (e.data.type) {
      case "cip:ready": // the widget is on the page: it takes commands now
        window.postMessage({ type: "cip:identify", name: "Ann Lee", email: "ann@example.com" }, location.origin);
        break;
      case "cip:opened": case "cip:closed": break;
      case "cip:message-sent": console.log("Visitor wrote:", e.data.text); break;
      case "cip:message-received": console.log("Answer:", e.data.text); break;
    }
  });
  // Commands: open, close, a new conversation.
  document.querySelector("#help")?.addEventListener("click", () =>
    window.postMessage({ type: "cip:open" }, location.origin));
</script>`;
}

function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
  );
}

/**
 * The form; `origins()` is the allowed-origins list as last saved (the PUT needs it); `onSaved` runs after
 * a save (the view reloads its preview).
 */
export function protectionForm(
  ctx: CabinetContext,
  initial: ProtectionSettings,
  scriptHtml: string,
  origins: () => string[],
  onSaved: () => void,
): HTMLElement {
  let state = initial;
  const protectedBox = h("input", {
    type: "checkbox",
    id: "embed-protected",
    name: "protected_embed",
    "aria-describedby": "embed-protected-hint",
  });
  protectedBox.checked = state.protected_embed;
  const siteKey = h("input", {
    id: "embed-turnstile-site-key",
    name: "site_key",
    autocomplete: "off",
    maxlength: 100,
  });
  siteKey.value = state.turnstile?.site_key ?? "";
  const secret = h("input", {
    id: "embed-turnstile-secret",
    name: "secret",
    type: "password",
    autocomplete: "new-password",
    maxlength: 200,
  });
  const secretHint = h("p", { class: "hint" });
  const policy = h(
    "select",
    { id: "embed-policy", name: "policy" },
    h("option", { value: "keep" }, ct("policyKeep")),
    h("option", { value: "reset_after_hours" }, ct("policyReset")),
    h("option", { value: "new_on_reload" }, ct("policyReload")),
  );
  policy.value = state.conversation.policy;
  const hours = h("input", {
    id: "embed-policy-hours",
    name: "hours",
    type: "number",
    min: 1,
    max: 720,
    step: 1,
  });
  hours.value = String(state.conversation.hours ?? 24);
  const hoursField = field(ct("policyHours"), hours);
  const status = h("p", { class: "form-status", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "btn" }, ct("save"));

  const sync = () => {
    secretHint.textContent = state.turnstile?.has_secret ? ct("turnstileSecretStored") : "";
    hoursField.hidden = policy.value !== "reset_after_hours";
  };
  policy.addEventListener("change", sync);
  sync();

  const form = h(
    "form",
    { class: "form embed-protection", novalidate: true },
    h("h3", null, ct("protectionTitle")),
    h(
      "div",
      { class: "field field-check" },
      protectedBox,
      h("label", { for: protectedBox.id }, ct("protectedEmbed")),
      h("p", { class: "hint", id: "embed-protected-hint" }, ct("protectedEmbedHint")),
    ),
    field(ct("turnstileSiteKey"), siteKey, ct("turnstileHint")),
    field(ct("turnstileSecret"), secret),
    secretHint,
    field(ct("conversationPolicy"), policy),
    hoursField,
    status,
    save,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    save.disabled = true;
    const key = siteKey.value.trim();
    const body = {
      allowed_origins: origins(),
      protected_embed: protectedBox.checked,
      turnstile: key
        ? { site_key: key, ...(secret.value.trim() ? { secret: secret.value.trim() } : {}) }
        : null,
      conversation:
        policy.value === "reset_after_hours"
          ? { policy: policy.value, hours: Number(hours.value) }
          : { policy: policy.value as Policy },
    };
    try {
      state = await ctx.call<ProtectionSettings>("/me/embed/settings", { method: "PUT", body });
      secret.value = "";
      sync();
      status.className = "form-status ok";
      status.setAttribute("role", "status");
      status.textContent = ct("saved_ok");
      onSaved();
    } catch (err) {
      status.className = "form-status error";
      status.setAttribute("role", "alert");
      const issue = err instanceof ApiError ? err.issues[0] : undefined;
      status.textContent = issue ? `${issue.path}: ${issue.message}` : errorText(err);
    } finally {
      save.disabled = false;
    }
  });

  const example = hostApiExample(scriptHtml);
  const code = h("textarea", { id: "embed-host-api", readonly: true, rows: 12, class: "code" });
  code.value = example;
  return h(
    "div",
    { class: "embed-extra" },
    form,
    h(
      "section",
      { class: "host-api", "aria-labelledby": "host-api-title" },
      h("h3", { id: "host-api-title" }, ct("hostApi")),
      h("p", { class: "hint" }, ct("hostApiIntro")),
      h(
        "div",
        { class: "snippet-row" },
        code,
        copyButton(() => example),
      ),
    ),
  );
}
