/**
 * `/my/start`: the first-hour checklist. Every step is ticked by the server from the tenant's data
 * (GET .../me/onboarding), so the list is re-read each time the view opens; each step links to the view
 * that does it. The embed step carries the script tag and a live preview (the embed view's parts), the
 * invite step the team's sign-up link. The owner can hide the list (the cabinet then opens on Dialogs)
 * and show it again from here.
 */
import type { SchemaOnboarding } from "../../shared/api-types.gen.ts";
import { h, replace } from "../../shared/dom.ts";
import type { CabinetContext, View } from "../context.ts";
import { type CabinetKey, ct } from "../texts.ts";
import { copyButton, statusLine } from "../ui.ts";
import { snippet } from "./embed-view.ts";

/** What GET/PUT .../me/onboarding answer. */
export type Onboarding = SchemaOnboarding;

type StepId = Onboarding["steps"][number]["id"];

const STEP_TEXT: Record<StepId, { title: CabinetKey; hint: CabinetKey; go: CabinetKey }> = {
  teach: { title: "stepTeach", hint: "stepTeachHint", go: "stepTeachGo" },
  publish: { title: "stepPublish", hint: "stepPublishHint", go: "stepPublishGo" },
  try_chat: { title: "stepTryChat", hint: "stepTryChatHint", go: "stepTryChatGo" },
  embed: { title: "stepEmbed", hint: "stepEmbedHint", go: "stepEmbedGo" },
  telegram: { title: "stepTelegram", hint: "stepTelegramHint", go: "stepTelegramGo" },
  invite: { title: "stepInvite", hint: "stepInviteHint", go: "stepInviteGo" },
};

/** Where each step's link goes: a cabinet view, or the tenant's public chat page in a new tab. */
function stepLink(ctx: CabinetContext, id: StepId, next: boolean): HTMLAnchorElement {
  const text = ct(STEP_TEXT[id].go);
  // The first step not done yet is the one to take now: it gets the primary button.
  const cls = next ? "btn btn-primary" : "btn btn-ghost";
  if (id === "try_chat")
    return h("a", { href: `/${ctx.tenant.slug}/chat`, target: "_blank", rel: "noopener", class: cls }, text);
  const path = {
    teach: "admin-chat",
    publish: "prompt",
    embed: "embed",
    telegram: "telegram",
    invite: "members",
  }[id];
  return h("a", { href: ctx.href(path), class: cls }, text);
}

/** The step's own extra: the script tag with a live preview, or the team's sign-up link. */
async function stepExtra(ctx: CabinetContext, id: StepId): Promise<HTMLElement | null> {
  if (id === "embed") {
    const embed = await ctx.call<{ script_html: string }>("/me/embed");
    const frame = h("iframe", {
      title: ct("livePreview"),
      src: `/${encodeURIComponent(ctx.tenant.slug)}/chat/embed?preview=${Date.now()}`,
      class: "preview-frame onboarding-preview",
      loading: "lazy",
    });
    return h("div", { class: "onboarding-embed" }, snippet(ct("scriptCode"), embed.script_html, true), frame);
  }
  if (id === "invite") {
    const link = `${location.origin}/${ctx.tenant.slug}/register`;
    const input = h("input", { readonly: true, class: "code", "aria-label": ct("inviteLink") });
    input.value = link;
    return h(
      "div",
      { class: "field snippet" },
      h("span", { class: "muted" }, ct("inviteLink")),
      h(
        "div",
        { class: "snippet-row" },
        input,
        copyButton(() => link),
      ),
    );
  }
  return null;
}

/** One step: its state (read from the server), title, what to do, the link and its extra. */
function stepItem(
  ctx: CabinetContext,
  step: Onboarding["steps"][number],
  extra: HTMLElement | null,
  next: boolean,
) {
  const text = STEP_TEXT[step.id];
  return h(
    "li",
    {
      class: `onboarding-step${step.done ? " done" : ""}`,
      "data-step": step.id,
      "data-done": String(step.done),
    },
    h("span", { class: "step-mark", "aria-hidden": "true" }, step.done ? "✓" : ""),
    h(
      "div",
      { class: "step-body" },
      h(
        "h3",
        null,
        ct(text.title),
        " ",
        h("span", { class: `badge ${step.done ? "ok" : ""}` }, step.done ? ct("stepDone") : ct("stepTodo")),
      ),
      h("p", { class: "muted" }, ct(text.hint)),
      extra,
      h("p", null, stepLink(ctx, step.id, next)),
    ),
  );
}

/** `/my/start`. */
export const onboardingView: View = async (ctx, main) => {
  const status = statusLine();
  const state = await ctx.call<Onboarding>("/me/onboarding");
  const extras = await Promise.all(
    state.steps.map((s) => (s.done && s.id !== "embed" ? null : stepExtra(ctx, s.id))),
  );
  const done = state.steps.filter((s) => s.done).length;
  const firstOpen = state.steps.find((s) => !s.done);
  const toggle = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", "data-action": state.dismissed ? "show" : "hide" },
    state.dismissed ? ct("showChecklist") : ct("hideChecklist"),
  );
  toggle.addEventListener("click", async () => {
    try {
      await ctx.call<Onboarding>("/me/onboarding", { method: "PUT", body: { dismissed: !state.dismissed } });
      if (state.dismissed) return onboardingView(ctx, main, []);
      ctx.navigate("dialogs");
    } catch (err) {
      status.error(err);
    }
  });
  replace(
    main,
    h(
      "div",
      { class: "onboarding" },
      h("p", null, state.complete ? ct("onboardingComplete") : ct("onboardingIntro")),
      h(
        "p",
        { class: "onboarding-progress", role: "status" },
        ct("onboardingProgress", { done, total: state.steps.length }),
      ),
      h("progress", { max: state.steps.length, value: done, "aria-hidden": "true" }),
      state.dismissed ? h("p", { class: "muted" }, ct("checklistHidden")) : null,
      h(
        "ol",
        { class: "onboarding-steps" },
        state.steps.map((s, i) => stepItem(ctx, s, extras[i] ?? null, s === firstOpen)),
      ),
      status.el,
      h("p", null, toggle),
    ),
  );
};
