/**
 * Embedding: the chat and embed URLs and both snippets with copy buttons, the embed settings (allowed
 * sites, bubble colour, position, greeting) and a live preview of the embed page, reloaded on save
 * (its `?preview=` address skips caches, so the owner sees a change at once).
 */
import type { SchemaEmbed } from "../../shared/api-types.gen.ts";
import { h, replace } from "../../shared/dom.ts";
import { createForm } from "../../shared/forms.ts";
import { cst } from "../chat-settings-texts.ts";
import type { View } from "../context.ts";
import { ct } from "../texts.ts";
import { copyButton } from "../ui.ts";
import { protectionForm } from "./embed-protection.ts";
import { startersPanel } from "./starters-panel.ts";

/** The embed settings (`…/me/embed/settings`): the API's `Embed` schema. */
type Embed = SchemaEmbed;

/** A labelled read-only field with a copy button (the embed view and the onboarding checklist). */
export function snippet(label: string, value: string, multiline: boolean): HTMLElement {
  const id = `embed-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const box = multiline
    ? h("textarea", { id, readonly: true, rows: 3, class: "code" })
    : h("input", { id, readonly: true, class: "code" });
  box.value = value;
  return h(
    "div",
    { class: "field snippet" },
    h("label", { for: id }, label),
    h(
      "div",
      { class: "snippet-row" },
      box,
      copyButton(() => value),
    ),
  );
}

/** `/my/embed`. */
export const embedView: View = async (ctx, main) => {
  const embed = await ctx.call<Embed>("/me/embed");
  // The allowed origins as last saved: the protection form's PUT sends them unchanged.
  let savedOrigins = embed.allowed_origins;
  const previewPath = () => `/${encodeURIComponent(ctx.tenant.slug)}/chat/embed?preview=${Date.now()}`;
  const frame = h("iframe", {
    title: ct("livePreview"),
    src: previewPath(),
    class: "preview-frame",
    loading: "lazy",
  });
  const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
  const paint = (color: string, position: string) => {
    swatch.style.background = color;
    swatch.dataset.position = position;
  };
  const form = createForm({
    fields: [
      {
        name: "allowed_origins",
        label: ct("allowedOrigins"),
        rows: 3,
        hint: ct("allowedOriginsHint"),
        value: embed.allowed_origins.join("\n"),
      },
      { name: "color", label: ct("color"), type: "color", value: embed.widget.color ?? "#2563eb" },
      {
        name: "position",
        label: ct("position"),
        options: [
          ["right", ct("right")],
          ["left", ct("left")],
        ],
        value: embed.widget.position,
      },
      {
        name: "greeting",
        label: ct("greeting"),
        rows: 2,
        maxlength: 200,
        value: embed.widget.greeting ?? "",
      },
      {
        name: "chat_language",
        label: cst("chatLanguage"),
        options: [
          ["auto", cst("chatLanguageAuto")],
          ["ru", cst("chatLanguageRu")],
          ["en", cst("chatLanguageEn")],
        ],
        value: embed.chat_language ?? "auto",
      },
    ],
    submit: ct("save"),
    onSubmit: async (v) => {
      const origins = (v.allowed_origins ?? "")
        .split(/[\s,]+/)
        .map((o) => o.trim())
        .filter(Boolean);
      const saved = await ctx.call<Embed>("/me/embed/settings", {
        method: "PUT",
        body: {
          allowed_origins: origins,
          widget: { color: v.color, position: v.position, greeting: (v.greeting ?? "").trim() },
          chat_language: v.chat_language ?? "auto",
        },
      });
      savedOrigins = saved.allowed_origins;
      form.setStatus(ct("saved_ok"), "ok");
      frame.src = previewPath();
      paint(v.color ?? "", v.position ?? "right");
    },
  });
  paint(embed.widget.color ?? "#2563eb", embed.widget.position);
  const starters = await startersPanel(ctx, () => {
    frame.src = previewPath();
  });
  replace(
    main,
    h(
      "div",
      { class: "embed-grid" },
      h(
        "div",
        null,
        snippet(ct("chatUrl"), embed.chat_url, false),
        snippet(ct("embedUrl"), embed.embed_url, false),
        snippet(ct("iframeCode"), embed.iframe_html, true),
        snippet(ct("scriptCode"), embed.script_html, true),
        form.el,
        starters,
      ),
      h("div", { class: "preview-col" }, h("h3", null, ct("livePreview"), " ", swatch), frame),
    ),
    protectionForm(
      ctx,
      embed,
      embed.script_html,
      () => savedOrigins,
      () => {
        frame.src = previewPath();
      },
    ),
  );
};
