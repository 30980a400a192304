/**
 * API keys (owner): make a key for a server (shown once, with a copy button), see the keys with their
 * last use, revoke one (refused by the API from the next request on).
 */
import type { SchemaApiKey, SchemaApiKeyCreated } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";
import { copyButton, statusLine, table } from "../ui.ts";

type Scope = "read" | "chat";

type ApiKey = SchemaApiKey;

type CreatedKey = SchemaApiKeyCreated;

/** The box that shows a new key once: a read-only field and a copy button. */
function revealed(created: CreatedKey): HTMLElement {
  const box = h("input", {
    id: "api-key-new",
    readonly: true,
    class: "code",
    "aria-describedby": "api-key-once",
  });
  box.value = created.key;
  const el = h(
    "div",
    { class: "card key-reveal", role: "status" },
    h("p", { id: "api-key-once" }, h("strong", null, ct("keyCreated"))),
    h(
      "div",
      { class: "snippet-row" },
      h("label", { for: box.id, class: "sr-only" }, created.name),
      box,
      copyButton(() => created.key),
    ),
  );
  queueMicrotask(() => box.select());
  return el;
}

function keysTable(
  ctx: CabinetContext,
  items: ApiKey[],
  reload: () => Promise<void>,
  status: ReturnType<typeof statusLine>,
) {
  if (items.length === 0) return h("p", { class: "muted" }, ct("empty"));
  return table(
    ct("apiKeys"),
    [ct("name"), ct("keyPrefix"), ct("scopes"), ct("created"), ct("lastUsed"), ""],
    items.map((k) => [
      k.name,
      h("code", null, `${k.prefix}…`),
      k.scopes.join(", "),
      formatDate(k.created_at, getLocale()),
      k.last_used_at ? formatDate(k.last_used_at, getLocale()) : ct("never"),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small btn-danger",
          "aria-label": `${ct("revoke")}: ${k.name}`,
          onclick: async () => {
            if (!window.confirm(ct("confirmRevoke", { name: k.name }))) return;
            try {
              await ctx.call(`/me/api-keys/${k.id}`, { method: "DELETE" });
              await reload();
              status.ok(ct("revoked"));
            } catch (err) {
              status.error(err);
            }
          },
        },
        ct("revoke"),
      ),
    ]),
  );
}

/** `/my/api-keys`. */
export const apiKeysView: View = async (ctx, main) => {
  const status = statusLine();
  const holder = h("div");
  const reveal = h("div");
  const reload = async () => {
    const { items } = await ctx.call<{ items: ApiKey[] }>("/me/api-keys");
    replace(holder, keysTable(ctx, items, reload, status));
  };

  const name = h("input", {
    id: "api-key-name",
    name: "name",
    required: true,
    maxlength: 100,
    autocomplete: "off",
  });
  const scopeBox = (scope: Scope, label: string) => {
    const box = h("input", { type: "checkbox", id: `api-key-scope-${scope}`, name: "scopes", value: scope });
    return { box, el: h("div", { class: "field field-check" }, box, h("label", { for: box.id }, label)) };
  };
  const read = scopeBox("read", ct("scopeRead"));
  const chat = scopeBox("chat", ct("scopeChat"));
  read.box.checked = true;
  const submit = h("button", { type: "submit", class: "btn" }, ct("createKey"));
  const form = h(
    "form",
    {
      class: "form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const scopes = [read, chat].filter((s) => s.box.checked).map((s) => s.box.value as Scope);
        if (!name.value.trim()) return status.error(ct("keyName"));
        if (scopes.length === 0) return status.error(ct("scopeNeeded"));
        submit.disabled = true;
        try {
          const created = await ctx.call<CreatedKey>("/me/api-keys", {
            body: { name: name.value.trim(), scopes },
          });
          name.value = "";
          replace(reveal, revealed(created));
          status.ok("");
          await reload();
        } catch (err) {
          status.error(err);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: name.id }, ct("keyName")), name),
    h("fieldset", null, h("legend", null, ct("scopes")), read.el, chat.el),
    submit,
  );

  await reload();
  replace(
    main,
    h("p", { class: "hint" }, ct("apiKeysIntro")),
    reveal,
    status.el,
    holder,
    h("h3", null, ct("newKey")),
    form,
  );
};
