/**
 * The model settings of a turn: the tenant's choices for the channel kind (`chat`: web and Telegram
 * visitors; `admin`: the owner's setup chat) over the platform's defaults. Pure.
 *
 * Thinking: a visitor chat does not think unless the tenant turned it on (latency and cost), whatever
 * `DEEPSEEK_THINKING` says; the admin chat follows `DEEPSEEK_THINKING` unless the tenant chose. When the
 * platform says `omit` (a provider that rejects the field), no request carries it, whatever the tenant chose.
 */

import { platformModel, platformThinking } from "../config.ts";
import type { ChannelModelSettings, TenantSettings } from "../db/schema.ts";
import type { Bindings } from "../env.ts";
import type { ChatRequest, ReasoningEffort, ThinkingMode } from "../llm/client.ts";

/** Which settings a channel uses: visitors (web, Telegram) or the owner's setup chat. */
export type ModelChannel = "chat" | "admin";

/** Values a tenant may choose (the API refuses others; stored values outside them are ignored). */
export const MODEL_LIMITS = {
  /** A provider's model name: letters, digits and `._:/-`. */
  modelName: /^[A-Za-z0-9._:/-]{1,100}$/,
  efforts: ["low", "high", "max"] as const satisfies readonly ReasoningEffort[],
  temperature: { min: 0, max: 2 },
  maxTokens: { min: 1, max: 8192 },
} as const;

/** The platform's defaults that do not come from the environment. */
export const MODEL_DEFAULTS = {
  maxTokens: 2048,
  temperature: { chat: 0.5, admin: 0.3 },
} as const;

/** What the environment configures: the model name and `DEEPSEEK_THINKING`. */
export interface PlatformModel {
  model: string;
  thinking: ThinkingMode;
}

/** Every setting of a channel, decided. `reasoningEffort` null: not sent (the provider's own default). */
export interface ResolvedModelSettings {
  model: string;
  thinking: ThinkingMode;
  reasoningEffort: ReasoningEffort | null;
  temperature: number;
  maxTokens: number;
}

/** The channel kind of a dialog channel. */
export function modelChannel(channel: string): ModelChannel {
  return channel === "admin" ? "admin" : "chat";
}

/** The platform's settings of a channel kind, before any tenant choice. */
export function channelDefaults(kind: ModelChannel, platform: PlatformModel): ResolvedModelSettings {
  const thinking = kind === "admin" || platform.thinking === "omit" ? platform.thinking : "disabled";
  return {
    model: platform.model,
    thinking,
    reasoningEffort: null,
    temperature: MODEL_DEFAULTS.temperature[kind],
    maxTokens: MODEL_DEFAULTS.maxTokens,
  };
}

const inRange = (v: unknown, r: { min: number; max: number }): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= r.min && v <= r.max;

/** The tenant's stored choices for `kind` over the platform defaults; values out of bounds are ignored. */
export function resolveModelSettings(
  stored: ChannelModelSettings | undefined,
  kind: ModelChannel,
  platform: PlatformModel,
): ResolvedModelSettings {
  const out = channelDefaults(kind, platform);
  const s = stored ?? {};
  if (typeof s.model === "string" && MODEL_LIMITS.modelName.test(s.model)) out.model = s.model;
  if (platform.thinking !== "omit" && typeof s.thinking === "boolean")
    out.thinking = s.thinking ? "enabled" : "disabled";
  if ((MODEL_LIMITS.efforts as readonly unknown[]).includes(s.reasoningEffort))
    out.reasoningEffort = s.reasoningEffort ?? null;
  if (inRange(s.temperature, MODEL_LIMITS.temperature)) out.temperature = s.temperature;
  if (inRange(s.maxTokens, MODEL_LIMITS.maxTokens) && Number.isInteger(s.maxTokens))
    out.maxTokens = s.maxTokens;
  return out;
}

/** The request fields of resolved settings (the client drops temperature and effort where they do not apply). */
export function modelRequestOptions(
  settings: ResolvedModelSettings,
): Required<Pick<ChatRequest, "model" | "thinking" | "maxTokens" | "temperature">> &
  Pick<ChatRequest, "reasoningEffort"> {
  const options = {
    model: settings.model,
    thinking: settings.thinking,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
  };
  return settings.reasoningEffort ? { ...options, reasoningEffort: settings.reasoningEffort } : options;
}

/** The model fields of a turn's request: the tenant's settings for the channel over the environment's. */
export function turnModelOptions(
  settings: TenantSettings,
  channel: string,
  env: Pick<Bindings, "DEEPSEEK_MODEL" | "DEEPSEEK_THINKING">,
): ReturnType<typeof modelRequestOptions> {
  const kind = modelChannel(channel);
  const platform = { model: platformModel(env), thinking: platformThinking(env) };
  return modelRequestOptions(resolveModelSettings(settings.model?.[kind], kind, platform));
}
