/**
 * One dialog with its messages (paged by `seq`); each message can be saved to the user's items. Owners
 * get the takeover panel (dialog-takeover.ts) and, once every page is shown, new messages live.
 */

import { renderCommand } from "../../chat/command-view.ts";
import type { SchemaDialogSummary } from "../../shared/api-types.gen.ts";
import { formatDate, h, replace } from "../../shared/dom.ts";
import { getLocale, t } from "../../shared/i18n.ts";
import { renderMarkdown } from "../../shared/markdown.ts";
import type { CommandEvent } from "../../shared/sse.ts";
import { galleryImageSrc } from "../../shared/tenant.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { loadMore, statusLine } from "../ui.ts";
import { ratingLine } from "./answer-ratings.ts";
import { type DialogMessage, takeoverPanel } from "./dialog-takeover.ts";
import { triageActions } from "./dialog-triage.ts";

/** A dialog as the list and the dialog route describe it: the API's `DialogSummary` schema. */
export type DialogSummary = SchemaDialogSummary;

type Message = DialogMessage;

/** Who wrote a message, for the line above it. */
function authorOf(ctx: CabinetContext, m: Message): string {
  if (m.role === "user") return t("visitor");
  if (m.role === "assistant") return t("assistant");
  return m.author_id === ctx.profile.id ? ct("operatorYou") : ct("operatorLabel");
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
  if (m.role !== "assistant") body.textContent = m.content;
  else body.appendChild(renderMarkdown(m.content, { imageSrc }));
  const commands = (m.commands as CommandEvent[]).map((c) =>
    c && typeof c === "object" ? renderCommand(c, imageSrc) : null,
  );
  return h(
    "article",
    { class: `msg msg-${m.role}`, "data-role": m.role, "data-seq": m.seq },
    h(
      "p",
      { class: "meta" },
      `${authorOf(ctx, m)} · ${formatDate(m.created_at, getLocale())}${m.status !== "complete" ? ` · ${m.status}` : ""}`,
    ),
    body,
    h("div", { class: "msg-extra" }, commands),
    ratingLine(m.feedback),
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
  const log = h("div", { class: "dialog-log", "aria-live": "polite" });
  let after = first.next_after_seq;
  // Messages by seq: a live one replaces its earlier state or goes in its place in the order.
  const add = (ms: Message[]) => {
    for (const m of ms) {
      const item = messageItem(ctx, m, imageSrc);
      const known = log.querySelector<HTMLElement>(`[data-seq="${m.seq}"]`);
      const later = [...log.children].find((el) => Number((el as HTMLElement).dataset.seq) > m.seq);
      if (known) known.replaceWith(item);
      else log.insertBefore(item, later ?? null);
    }
  };
  add(first.messages);
  const panel =
    ctx.profile.role === "owner" && first.channel !== "admin"
      ? takeoverPanel(
          ctx,
          id,
          {
            taken_over: first.taken_over_at !== null,
            taken_over_by: first.taken_over_by,
            taken_over_at: first.taken_over_at,
          },
          (m) => add([m]),
        )
      : null;
  const lastSeq = () => Number((log.lastElementChild as HTMLElement | null)?.dataset.seq ?? 0);
  const more = loadMore(async () => {
    if (after === null) return false;
    const page = await ctx.call<{ messages: Message[]; next_after_seq: number | null }>(`/me/dialogs/${id}`, {
      query: { after_seq: after, limit: 50 },
    });
    add(page.messages);
    after = page.next_after_seq;
    if (after === null) panel?.follow(lastSeq());
    return after !== null;
  });
  more.hidden = after === null;
  if (after === null) panel?.follow(lastSeq());
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
    // Archived, brought back or deleted: back to the list.
    triageActions(ctx, first, () => ctx.navigate("dialogs")),
    log,
    more,
    panel?.el,
  );
}
