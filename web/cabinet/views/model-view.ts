/**
 * Model: the model, thinking, reasoning effort, temperature and answer length of the visitor chats
 * (website and Telegram) and of the setup chat, one card each. An empty field means the platform's value,
 * which the field shows as its placeholder (or in its "Default" option).
 */
import type { SchemaModelChannelSettings, SchemaModelSettings } from "../../shared/api-types.gen.ts";
import { h, replace } from "../../shared/dom.ts";
import { createForm, type Values } from "../../shared/forms.ts";
import type { CabinetContext, View } from "../context.ts";
import { ct } from "../texts.ts";

type Effort = "low" | "high" | "max";

type ChannelSettings = SchemaModelChannelSettings;

type ModelSettings = SchemaModelSettings;

type Kind = "chat" | "admin";

const MODEL_NAME = /^[A-Za-z0-9._:/-]{1,100}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d{1,4}$/;
const value = (v: string | undefined) => (v ?? "").trim();

const thinkingLabel = (on: boolean | null) =>
  on === null ? ct("thinkingProvider") : on ? ct("thinkingOn") : ct("thinkingOff");

/** The API body of one channel's form values (empty: null, the platform default). */
function channelBody(v: Values): ChannelSettings {
  const thinking = value(v.thinking);
  return {
    model: value(v.model) || null,
    thinking: thinking === "" ? null : thinking === "on",
    reasoning_effort: (value(v.reasoning_effort) || null) as Effort | null,
    temperature: value(v.temperature) === "" ? null : Number(value(v.temperature)),
    max_tokens: value(v.max_tokens) === "" ? null : Number(value(v.max_tokens)),
  };
}

function channelForm(ctx: CabinetContext, state: { current: ModelSettings }, kind: Kind) {
  const mine = state.current[kind];
  const defaults = state.current.defaults[kind];
  const omitted = state.current.defaults.thinking_mode === "omit";
  const form = createForm({
    fields: [
      {
        name: "model",
        label: ct("modelName"),
        hint: ct("modelNameHint"),
        maxlength: 100,
        value: mine.model ?? "",
        validate: (v) => (value(v) === "" || MODEL_NAME.test(value(v)) ? null : ct("modelNameBad")),
      },
      {
        name: "thinking",
        label: ct("modelThinking"),
        hint: omitted
          ? ct("thinkingOmitted")
          : ct(kind === "chat" ? "thinkingChatHint" : "thinkingAdminHint"),
        options: [
          ["", ct("modelDefault", { value: thinkingLabel(defaults.thinking) })],
          ["on", ct("thinkingOn")],
          ["off", ct("thinkingOff")],
        ],
        value: mine.thinking === null ? "" : mine.thinking ? "on" : "off",
      },
      {
        name: "reasoning_effort",
        label: ct("modelEffort"),
        hint: ct("modelEffortHint"),
        options: [
          ["", ct("modelDefault", { value: defaults.reasoning_effort ?? ct("effortProvider") })],
          ["low", ct("effortLow")],
          ["high", ct("effortHigh")],
          ["max", ct("effortMax")],
        ],
        value: mine.reasoning_effort ?? "",
      },
      {
        name: "temperature",
        label: ct("modelTemperature"),
        hint: ct("modelTemperatureHint"),
        type: "number",
        value: mine.temperature === null ? "" : String(mine.temperature),
        validate: (v) =>
          value(v) === "" || (DECIMAL.test(value(v)) && Number(value(v)) <= 2)
            ? null
            : ct("modelTemperatureBad"),
      },
      {
        name: "max_tokens",
        label: ct("modelMaxTokens"),
        hint: ct("modelMaxTokensHint"),
        type: "number",
        value: mine.max_tokens === null ? "" : String(mine.max_tokens),
        validate: (v) =>
          value(v) === "" || (WHOLE.test(value(v)) && Number(value(v)) >= 1 && Number(value(v)) <= 8192)
            ? null
            : ct("modelMaxTokensBad"),
      },
    ],
    submit: ct("save"),
    onSubmit: async (v) => {
      // PUT replaces both channels: the other one goes as last saved.
      const body = { ...state.current, [kind]: channelBody(v) };
      state.current = await ctx.call<ModelSettings>("/me/model", {
        method: "PUT",
        body: { chat: body.chat, admin: body.admin },
      });
      form.setStatus(ct("saved_ok"), "ok");
    },
  });
  const attributes: Record<string, Record<string, string>> = {
    model: { placeholder: defaults.model },
    temperature: { placeholder: String(defaults.temperature), min: "0", max: "2", step: "any" },
    max_tokens: {
      placeholder: String(defaults.max_tokens),
      min: "1",
      max: "8192",
      step: "1",
      inputmode: "numeric",
    },
  };
  for (const [name, attrs] of Object.entries(attributes))
    for (const [attr, v] of Object.entries(attrs)) form.input(name).setAttribute(attr, v);
  return h(
    "section",
    { class: "card model-channel", "data-channel": kind },
    h("h3", null, ct(kind === "chat" ? "modelChat" : "modelAdmin")),
    form.el,
  );
}

/** `/my/model`. */
export const modelView: View = async (ctx, main) => {
  const state = { current: await ctx.call<ModelSettings>("/me/model") };
  replace(
    main,
    h("p", { class: "muted" }, ct("modelIntro")),
    channelForm(ctx, state, "chat"),
    channelForm(ctx, state, "admin"),
  );
};
