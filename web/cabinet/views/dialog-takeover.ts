/**
 * Human takeover on a dialog's page (owners, web and Telegram dialogs): who answers now, Take over /
 * Hand back, the operator's reply box, and the dialog's live feed, so the visitor's new messages (and
 * the replies of other operators) appear without a reload.
 */
import type { SchemaMessage } from "../../shared/api-types.gen.ts";
import { formatDate, h, uid } from "../../shared/dom.ts";
import { getLocale } from "../../shared/i18n.ts";
import { openLiveFeed } from "../../shared/live-feed.ts";
import type { CabinetContext } from "../context.ts";
import { ct } from "../texts.ts";
import { statusLine } from "../ui.ts";

/**
 * A dialog message as the cabinet API and feed carry it: the API's `Message` schema, except that the
 * visitor's rating (`feedback`, answer feedback) may be absent (the live feed does not carry it): none.
 */
export type DialogMessage = Omit<SchemaMessage, "feedback"> & Partial<Pick<SchemaMessage, "feedback">>;

interface Takeover {
  taken_over: boolean;
  taken_over_by: string | null;
  taken_over_at: string | null;
}

type Delivery = "live" | "stored" | "sent" | "failed";
const DELIVERY_TEXT: Record<Delivery, Parameters<typeof ct>[0]> = {
  live: "deliveredLive",
  stored: "deliveredStored",
  sent: "deliveredSent",
  failed: "deliveryFailed",
};
const REPLY_MAX = 4000;

export interface TakeoverPanel {
  el: HTMLElement;
  /** Starts following the dialog after the message `afterSeq` (once every earlier page is shown). */
  follow(afterSeq: number): void;
}

/**
 * The panel for `dialogId`; `onMessage` gets each message (from the feed or a sent reply) to show or
 * update by `seq`. The feed closes when the panel leaves the page.
 */
export function takeoverPanel(
  ctx: CabinetContext,
  dialogId: string,
  initial: Takeover,
  onMessage: (m: DialogMessage) => void,
): TakeoverPanel {
  const path = `/me/dialogs/${dialogId}`;
  const stateText = h("p", { class: "takeover-state", role: "status" });
  const toggle = h("button", { type: "button", class: "btn btn-small", "data-action": "takeover" });
  const status = statusLine();
  let state = initial;

  const render = () => {
    const time = state.taken_over_at ? formatDate(state.taken_over_at, getLocale()) : "";
    stateText.textContent = !state.taken_over
      ? ct("assistantAnswers")
      : state.taken_over_by === ctx.profile.id
        ? ct("takenByYou", { time })
        : ct("takenByOther", { time });
    toggle.textContent = state.taken_over ? ct("releaseDialog") : ct("takeOver");
    toggle.dataset.action = state.taken_over ? "release" : "takeover";
    panel.dataset.takenOver = String(state.taken_over);
  };

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    try {
      state = await ctx.call<Takeover>(`${path}/takeover`, { method: state.taken_over ? "DELETE" : "POST" });
      render();
    } catch (err) {
      status.error(err);
    } finally {
      toggle.disabled = false;
    }
  });

  const replyId = uid("reply");
  const text = h("textarea", { id: replyId, name: "text", rows: 3, maxlength: REPLY_MAX, required: true });
  const send = h("button", { type: "submit", class: "btn" }, ct("sendReply"));
  const form = h(
    "form",
    { class: "operator-reply" },
    h("label", { for: replyId }, ct("operatorReply")),
    text,
    h("p", { class: "hint" }, ct("operatorReplyHint")),
    h("div", { class: "actions" }, send, status.el),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    send.disabled = true;
    try {
      const reply = await ctx.call<{ message: DialogMessage; delivery: Delivery; takeover: Takeover }>(
        `${path}/messages`,
        { body: { text: text.value } },
      );
      text.value = "";
      state = reply.takeover;
      render();
      onMessage(reply.message);
      status.ok(ct(DELIVERY_TEXT[reply.delivery]));
    } catch (err) {
      status.error(err);
    } finally {
      send.disabled = false;
    }
  });
  // Ctrl/Cmd+Enter sends, as in most support tools; plain Enter makes a new line.
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  const panel = h(
    "section",
    { class: "card takeover" },
    h("div", { class: "takeover-head" }, stateText, toggle),
    form,
  );
  render();

  return {
    el: panel,
    follow(afterSeq) {
      const feed = openLiveFeed({
        url: (lastId) => `/api/v1/tenants/${ctx.tenant.id}${path}/events?after_seq=${lastId}`,
        token: () => ctx.token(),
        lastId: afterSeq,
        onEvent(event, data) {
          if (!panel.isConnected) return feed.close();
          if (event === "state") {
            state = data as unknown as Takeover;
            render();
          } else if (event === "message") {
            onMessage(data as unknown as DialogMessage);
          }
        },
      });
      // The cabinet has no unmount step: let go of the feed once another view replaced this one.
      const watcher = new MutationObserver(() => {
        if (panel.isConnected) return;
        feed.close();
        watcher.disconnect();
      });
      watcher.observe(document.body, { childList: true, subtree: true });
    },
  };
}
