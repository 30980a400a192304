/** One dialog with its messages (paged by `seq`); each message can be saved to the user's items. */
import { renderCommand } from "../../chat/command-view.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale, t } from "../../shared/i18n.ts";
import { renderMarkdown } from "../../shared/markdown.ts";
import type { CommandEvent } from "../../shared/sse.ts";
import { galleryImageSrc } from "../../shared/tenant.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine } from "../ui.ts";

/** A dialog as the list and the dialog route describe it. */
export interface DialogSummary {
  id: string;
  channel: "web" | "telegram" | "admin";
  visitor_id: string;
  title: string | null;
  last_message_preview: string | null;
  message_count: number;
  has_lead: boolean;
  last_message_at: string;
}

interface Message {
  id: string;
  seq: number;
  role: "user" | "assistant";
  content: string;
  commands: unknown[];
  status: string;
  created_at: string;
}

/** The channel's name for people. */
export const channelName = (c: string) =>
  c === "web" ? ct("web") : c === "admin" ? ct("admin") : c === "telegram" ? ct("telegram") : c;

function messageItem(ctx: CabinetContext, m: Message, imageSrc: (url: string) => string | null): HTMLElement {
  const status = statusLine();
  const save = h("button", { type: "button", class: "btn btn-small btn-ghost" }, ct("saveMessage"));
  save.addEventListener("click", async () => {
    try {
      await ctx.call("/me/saved", { body: { kind: "message", ref: m.id } });
      status.ok(ct("messageSaved"));
    } catch (err) {
      status.error(err);
    }
  });
  const body = h("div", { class: "msg-body" });
  if (m.role === "user") body.textContent = m.content;
  else body.appendChild(renderMarkdown(m.content, { imageSrc }));
  const commands = (m.commands as CommandEvent[]).map((c) =>
    c && typeof c === "object" ? renderCommand(c, imageSrc) : null,
  );
  return h(
    "article",
    { class: `msg msg-${m.role}`, "data-role": m.role },
    h(
      "p",
      { class: "meta" },
      `${m.role === "user" ? t("visitor") : t("assistant")} · ${formatDate(m.created_at, getLocale())}${m.status !== "complete" ? ` · ${m.status}` : ""}`,
    ),
    body,
    h("div", { class: "msg-extra" }, commands),
    h("div", { class: "msg-actions" }, save, status.el),
  );
}

/** `/my/dialogs/{id}`. */
export async function detailView(ctx: CabinetContext, main: HTMLElement, id: string): Promise<void> {
  const imageSrc = galleryImageSrc(ctx.tenant.id);
  const first = await ctx.call<DialogSummary & { messages: Message[]; next_after_seq: number | null }>(
    `/me/dialogs/${id}`,
    { query: { limit: 50 } },
  );
  const log = h("div", { class: "dialog-log" });
  let after = first.next_after_seq;
  const add = (ms: Message[]) => {
    for (const m of ms) log.appendChild(messageItem(ctx, m, imageSrc));
  };
  add(first.messages);
  const more = loadMore(async () => {
    if (after === null) return false;
    const page = await ctx.call<{ messages: Message[]; next_after_seq: number | null }>(`/me/dialogs/${id}`, {
      query: { after_seq: after, limit: 50 },
    });
    add(page.messages);
    after = page.next_after_seq;
    return after !== null;
  });
  more.hidden = after === null;
  replace(
    main,
    h("p", null, h("a", { href: ctx.href("dialogs") }, `← ${ct("back")}`)),
    h(
      "p",
      { class: "meta" },
      h("span", { class: "badge" }, channelName(first.channel)),
      first.has_lead ? h("span", { class: "badge badge-accent" }, ct("hasLead")) : null,
      ` ${ct("visitor", { id: first.visitor_id.slice(0, 12) })} · ${ct("messages", { n: first.message_count })}`,
    ),
    log,
    more,
  );
}
