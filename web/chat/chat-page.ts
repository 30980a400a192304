/**
 * The public chat `/{slug}/chat` and its chrome-less twin `/{slug}/chat/embed` (for iframes and the
 * widget). Opening it costs one public tenant lookup (none on the embed page, which carries the tenant);
 * the first message starts the dialog. The visitor id and the dialog live in localStorage per tenant.
 */
import { api } from "../shared/api.ts";
import { h, replace } from "../shared/dom.ts";
import { chatLocale, setLocale, t } from "../shared/i18n.ts";
import { applyAccent, notice, setTitle, tenantFailure } from "../shared/page.ts";
import { newId, readJson, writeJson } from "../shared/store.ts";
import { galleryImageSrc, loadTenant, type PublicTenant, pageConfig } from "../shared/tenant.ts";
import { chatExtras } from "./chat-extras.ts";
import { renderCommand } from "./command-view.ts";
import { createConversation } from "./conversation.ts";
import { adoptHostStorage } from "./host-storage.ts";
import { localTranscript } from "./transcript.ts";

/** The visitor's id for this tenant, made once and kept. */
export function visitorId(tenantId: string): string {
  const key = `cip:${tenantId}:user`;
  const known = readJson<string>(key);
  if (typeof known === "string" && known.length > 0 && known.length <= 128) return known;
  const id = newId();
  writeJson(key, id);
  return id;
}

function build(root: HTMLElement, tenant: PublicTenant, embed: boolean): void {
  const userId = visitorId(tenant.id);
  const imageSrc = galleryImageSrc(tenant.id);
  const newChat = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", "data-action": "new-chat" },
    t("newChat"),
  );
  // Protected embed, Turnstile, the conversation policy and the host page API (chat-extras.ts).
  const extras = chatExtras({ tenant, page: pageConfig(), userId, embed });
  const store = localTranscript(`cip:${tenant.id}:chat`);
  if (extras.staleOnLoad) store.clear();
  const conversation = createConversation({
    ...extras.config,
    url: `/api/v1/tenants/${tenant.id}/chat`,
    // The page always says which: without dialog_id the API would continue the visitor's latest dialog,
    // and this page starts anew when its policy or "New chat" says so.
    body: (message, dialogId) => ({
      user_id: userId,
      message,
      ...(dialogId ? { dialog_id: dialogId } : { new_dialog: true }),
    }),
    stopPath: (dialogId) => `/tenants/${tenant.id}/chat/${dialogId}/stop`,
    stopBody: () => ({ user_id: userId }),
    resumeUrl: (dialogId, afterId) =>
      `/api/v1/tenants/${tenant.id}/chat/${dialogId}/stream?user_id=${encodeURIComponent(userId)}&last_event_id=${afterId}`,
    // Answer feedback: a protected embed's widget token goes with it, as with every visitor call.
    rate: (dialogId, messageId, rating, comment) =>
      extras.visitorCall((headers) =>
        api(`/tenants/${tenant.id}/chat/${dialogId}/messages/${messageId}/feedback`, {
          method: "POST",
          body: { user_id: userId, rating, ...(comment ? { comment } : {}) },
          headers,
        }),
      ),
    feedUrl: (dialogId, afterSeq) =>
      `/api/v1/tenants/${tenant.id}/chat/${dialogId}/events?user_id=${encodeURIComponent(userId)}&last_event_id=${afterSeq}`,
    store,
    imageSrc,
    renderCommand: (cmd) => renderCommand(cmd, imageSrc),
    greeting: tenant.welcomeText ?? tenant.widget.greeting,
    starters: tenant.starters ?? [],
    composerExtra: embed ? newChat : null,
  });
  newChat.addEventListener("click", () => conversation.reset());
  extras.attach(conversation);
  root.setAttribute("aria-busy", "false");
  if (embed) {
    document.documentElement.classList.add("embed");
    // Escape in the widget's iframe closes the widget (the host page cannot see keys pressed in here).
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && window.parent !== window && !document.querySelector("dialog[open]")) {
        extras.close();
      }
    });
    replace(
      root,
      h("main", { class: "chat chat-embed" }, h("h1", { class: "sr-only" }, tenant.name), conversation.el),
    );
  } else {
    replace(
      root,
      h(
        "div",
        { class: "chat" },
        h(
          "header",
          { class: "chat-head" },
          h("div", null, h("h1", null, tenant.name), h("p", { class: "muted" }, t("poweredBy"))),
          newChat,
        ),
        h("main", { class: "chat-main" }, conversation.el),
      ),
    );
  }
  // Phones would pop the keyboard over the greeting; elsewhere typing can start at once.
  // The cabinet's live preview (`?preview=`) must not take the focus from the owner's form as it reloads.
  const preview = new URLSearchParams(location.search).has("preview");
  if (!preview && (embed || !matchMedia("(pointer: coarse)").matches)) conversation.focus();
}

/** Mounts the chat of tenant `slug` into `root`. */
export async function mountChat(root: HTMLElement, slug: string, embed: boolean): Promise<void> {
  notice(root, t("loading"));
  let tenant: PublicTenant;
  try {
    tenant = await loadTenant(slug, new URLSearchParams(location.search).has("preview"));
  } catch (err) {
    tenantFailure(root, err);
    return;
  }
  setLocale(chatLocale(tenant.chatLanguage, tenant.locale));
  setTitle(tenant.name);
  applyAccent(tenant.widget.color);
  // In a frame refused its own storage, the widget's host page keeps the visitor and the chat.
  if (embed) adoptHostStorage(pageConfig().hostOrigin);
  build(root, tenant, embed);
}
