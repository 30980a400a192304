/**
 * The sandbox of the prompt view (`POST …/me/prompt/sandbox/chat`, SSE): a small chat with the visitor
 * bot as the draft makes it. The server stores nothing, so the conversation lives here and goes back with
 * every message as `history`; "Clear" forgets it. Answers and command results render as plain text.
 */
import { codeText, errorText } from "../../shared/api.ts";
import { h, replace, uid } from "../../shared/dom.ts";
import { type CommandEvent, streamTurn } from "../../shared/sse.ts";
import type { CabinetContext } from "../context.ts";
import { pt } from "../publish-texts.ts";

interface Turn {
  role: "user" | "assistant";
  content: string;
}

/** The server keeps at most this many earlier messages of a sandbox conversation. */
const HISTORY_MAX = 40;

/** The panel. */
export function sandboxPanel(ctx: CabinetContext): HTMLElement {
  const history: Turn[] = [];
  const log = h("ol", { class: "sandbox-log", "aria-live": "polite" });
  const id = uid("sandbox");
  const input = h("textarea", { id, name: "sandbox_message", rows: 2 });
  const send = h("button", { type: "submit", class: "btn" }, pt("sandboxSend"));
  const clear = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", "data-action": "sandbox-clear" },
    pt("sandboxClear"),
  );
  let abort: AbortController | null = null;

  const message = (role: Turn["role"], text: string) => {
    const body = h("div", { class: "sandbox-text" }, text);
    const li = h(
      "li",
      { class: `sandbox-msg sandbox-${role}`, "data-role": role },
      h("span", { class: "sandbox-who" }, role === "user" ? pt("sandboxYou") : pt("sandboxBot")),
      body,
    );
    log.appendChild(li);
    return { li, body };
  };

  const ask = async (text: string) => {
    message("user", text);
    const answer = message("assistant", "");
    answer.li.dataset.state = "streaming";
    const thinking = h("p", { class: "muted small sandbox-thinking" }, pt("sandboxThinking"));
    answer.li.insertBefore(thinking, answer.body);
    const commands = h("ul", { class: "sandbox-commands" });
    answer.li.appendChild(commands);
    let streamed = "";
    let reply: string | null = null;
    abort = new AbortController();
    try {
      await streamTurn({
        url: `/api/v1/tenants/${ctx.tenant.id}/me/prompt/sandbox/chat`,
        body: { message: text, history: history.slice(-HISTORY_MAX) },
        token: ctx.token(),
        signal: abort.signal,
        onEvent(e) {
          if (e.type === "token") {
            thinking.remove();
            streamed += e.content;
            answer.body.textContent = streamed;
          } else if (e.type === "command") {
            const cmd = e as CommandEvent;
            commands.appendChild(
              h(
                "li",
                { class: `cmd ${cmd.ok ? "ok" : "failed"}`, "data-command": cmd.name },
                pt("sandboxCommand", { name: cmd.name, result: cmd.result ?? "" }),
              ),
            );
          } else if (e.type === "done") {
            const done = e as unknown as { reply?: unknown };
            if (typeof done.reply === "string") reply = done.reply;
          } else if (e.type === "error") {
            answer.li.dataset.state = "error";
            answer.li.appendChild(
              h("p", { class: "form-status error", role: "alert" }, codeText(e.code, e.message)),
            );
          }
        },
      });
      // A failed answer stays on screen but is not sent back as the bot's turn.
      if (answer.li.dataset.state !== "error") {
        answer.li.dataset.state = "done";
        history.push({ role: "user", content: text }, { role: "assistant", content: reply ?? streamed });
      }
    } catch (err) {
      answer.li.dataset.state = "error";
      if (!(err instanceof DOMException && err.name === "AbortError"))
        answer.li.appendChild(h("p", { class: "form-status error", role: "alert" }, errorText(err)));
    } finally {
      thinking.remove();
      abort = null;
    }
  };

  const form = h(
    "form",
    { class: "card sandbox", "data-form": "sandbox" },
    h("h3", null, pt("sandboxTitle")),
    h("p", { class: "muted" }, pt("sandboxIntro")),
    log,
    h("div", { class: "field" }, h("label", { for: id, class: "sr-only" }, pt("sandboxMessage")), input),
    h("div", { class: "actions" }, send, clear),
  );
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || abort) return;
    input.value = "";
    send.disabled = true;
    void ask(text).finally(() => {
      send.disabled = false;
      input.focus();
    });
  });
  clear.addEventListener("click", () => {
    abort?.abort();
    history.length = 0;
    replace(log);
    input.focus();
  });
  return form;
}
