/**
 * The owner's setup chat: the admin bot streams its answer (SSE with the bearer token) and edits the
 * prompt chunks through ADD_CHUNK / EDIT_CHUNK / DELETE_CHUNK; each change shows under its answer and in
 * the list of changes of this session.
 */

import { createConversation } from "../../chat/conversation.ts";
import { localTranscript } from "../../chat/transcript.ts";
import { h, replace } from "../../shared/dom.ts";
import { getLocale, t } from "../../shared/i18n.ts";
import type { CommandEvent } from "../../shared/sse.ts";
import { galleryImageSrc } from "../../shared/tenant.ts";
import type { View } from "../context.ts";
import { ct } from "../texts.ts";

const CHUNK_COMMANDS = new Set(["ADD_CHUNK", "EDIT_CHUNK", "DELETE_CHUNK"]);

/** One line describing a chunk change, or null for other commands. */
export function chunkChange(cmd: CommandEvent): HTMLElement | null {
  if (!CHUNK_COMMANDS.has(cmd.name)) return null;
  const data = (cmd.data ?? {}) as { chunk?: { question?: unknown; position?: unknown } };
  const question = typeof data.chunk?.question === "string" ? data.chunk.question : "";
  const position = typeof data.chunk?.position === "number" ? `#${data.chunk.position} ` : "";
  let text: string;
  if (!cmd.ok) text = ct("chunkFailed", { why: cmd.result ?? "" });
  else if (cmd.name === "ADD_CHUNK") text = ct("chunkAdded", { q: `${position}${question}` });
  else if (cmd.name === "EDIT_CHUNK") text = ct("chunkUpdated", { q: `${position}${question}` });
  else text = ct("chunkDeleted");
  return h("p", { class: `cmd chunk-change ${cmd.ok ? "ok" : "failed"}`, "data-command": cmd.name }, text);
}

/** `/my/admin-chat`. */
export const adminChatView: View = (ctx, main) => {
  const changes = h("ul", { class: "changes", "aria-live": "polite" });
  const imageSrc = galleryImageSrc(ctx.tenant.id);
  const newChat = h("button", { type: "button", class: "btn btn-ghost btn-small" }, t("newChat"));
  const conversation = createConversation({
    url: `/api/v1/tenants/${ctx.tenant.id}/admin/chat`,
    token: () => ctx.token(),
    body: (message, dialogId) => ({ message, ...(dialogId ? { dialog_id: dialogId } : {}) }),
    store: localTranscript(`cip:${ctx.tenant.id}:admin:${ctx.profile.id}`),
    imageSrc,
    renderCommand: chunkChange,
    // An empty setup chat opens with the bot's first question, written by the server (no model call).
    open: async () => {
      const opened = await ctx.call<{ dialog_id: string; message: { id: string; content: string } }>(
        "/admin/chat/start",
        { method: "POST", body: { locale: getLocale() === "en" ? "en" : "ru" } },
      );
      return { dialogId: opened.dialog_id, id: opened.message.id, text: opened.message.content };
    },
    label: ct("adminChat"),
    onCommand(cmd) {
      const line = chunkChange(cmd);
      if (line) changes.appendChild(h("li", null, line.textContent ?? ""));
    },
    onUnauthorized: () => ctx.signOut(),
    composerExtra: newChat,
  });
  newChat.addEventListener("click", () => conversation.reset());
  replace(
    main,
    h(
      "div",
      { class: "admin-chat" },
      h("div", { class: "admin-conv" }, conversation.el),
      h(
        "aside",
        { class: "card" },
        h("p", null, ct("adminIntro")),
        changes,
        h("a", { href: ctx.href("prompt") }, ct("openPrompt")),
      ),
    ),
  );
};
