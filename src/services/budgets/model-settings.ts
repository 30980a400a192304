/**
 * The tenant's model settings per channel kind (`chat`, `admin`), kept in `tenants.settings.model`. A turn
 * reads them from the tenant snapshot (src/chat/model-settings.ts decides); a change reaches the dialogs
 * through the tenant cache invalidation the route calls after saving, so the next turn uses it.
 */
import {
  channelDefaults,
  type ModelChannel,
  type PlatformModel,
  type ResolvedModelSettings,
} from "../../chat/model-settings.ts";
import type { Database } from "../../db/client.ts";
import type { ChannelModelSettings, TenantSettings } from "../../db/schema.ts";
import { readTenantSetting, writeTenantSetting } from "../../db/tenant-settings.ts";
import type { ReasoningEffort, ThinkingMode } from "../../llm/client.ts";

type StoredModel = NonNullable<TenantSettings["model"]>;

/** One channel's settings as the API shows and takes them; null means "the platform default". */
export interface ChannelModelView {
  model: string | null;
  thinking: boolean | null;
  reasoning_effort: ReasoningEffort | null;
  temperature: number | null;
  max_tokens: number | null;
}

interface ChannelDefaultsView {
  model: string;
  thinking: boolean | null;
  reasoning_effort: ReasoningEffort | null;
  temperature: number;
  max_tokens: number;
}

export interface ModelSettingsView {
  chat: ChannelModelView;
  admin: ChannelModelView;
  defaults: { thinking_mode: ThinkingMode; chat: ChannelDefaultsView; admin: ChannelDefaultsView };
}

type ChannelInput = { [K in keyof ChannelModelView]?: ChannelModelView[K] | undefined };
/** What `PUT …/me/model` accepts: absent and null both mean "the platform default". */
export interface ModelSettingsInput {
  chat?: ChannelInput | null | undefined;
  admin?: ChannelInput | null | undefined;
}

const EFFORTS: readonly unknown[] = ["low", "high", "max"];

function channelView(stored: ChannelModelSettings | undefined): ChannelModelView {
  const s = stored ?? {};
  return {
    model: typeof s.model === "string" ? s.model : null,
    thinking: typeof s.thinking === "boolean" ? s.thinking : null,
    reasoning_effort: EFFORTS.includes(s.reasoningEffort) ? (s.reasoningEffort ?? null) : null,
    temperature: typeof s.temperature === "number" ? s.temperature : null,
    max_tokens: typeof s.maxTokens === "number" ? s.maxTokens : null,
  };
}

function defaultsView(d: ResolvedModelSettings): ChannelDefaultsView {
  return {
    model: d.model,
    thinking: d.thinking === "omit" ? null : d.thinking === "enabled",
    reasoning_effort: d.reasoningEffort,
    temperature: d.temperature,
    max_tokens: d.maxTokens,
  };
}

/** The API view of stored settings, with the platform defaults they fall back on. */
export function modelSettingsView(
  stored: StoredModel | undefined,
  platform: PlatformModel,
): ModelSettingsView {
  const defaults = (kind: ModelChannel) => defaultsView(channelDefaults(kind, platform));
  return {
    chat: channelView(stored?.chat),
    admin: channelView(stored?.admin),
    defaults: { thinking_mode: platform.thinking, chat: defaults("chat"), admin: defaults("admin") },
  };
}

function storedChannel(input: ChannelInput | null | undefined): ChannelModelSettings {
  const out: ChannelModelSettings = {};
  if (!input) return out;
  if (input.model != null) out.model = input.model;
  if (input.thinking != null) out.thinking = input.thinking;
  if (input.reasoning_effort != null) out.reasoningEffort = input.reasoning_effort;
  if (input.temperature != null) out.temperature = input.temperature;
  if (input.max_tokens != null) out.maxTokens = input.max_tokens;
  return out;
}

/** The stored form of an input: only the fields that are set. */
export function storedModelSettings(input: ModelSettingsInput): StoredModel {
  return { chat: storedChannel(input.chat), admin: storedChannel(input.admin) };
}

/** The tenant's model settings. */
export async function getModelSettings(
  db: Database,
  tenantId: string,
  platform: PlatformModel,
): Promise<ModelSettingsView> {
  return modelSettingsView(await readTenantSetting(db, tenantId, "model"), platform);
}

/**
 * Replaces the tenant's model settings (PUT: fields left out are reset to the default). Only the `model`
 * key of the settings document is written, so settings saved at the same time by other screens survive.
 */
export async function putModelSettings(
  db: Database,
  tenantId: string,
  input: ModelSettingsInput,
  platform: PlatformModel,
): Promise<ModelSettingsView> {
  const stored = await writeTenantSetting(db, tenantId, "model", storedModelSettings(input));
  return modelSettingsView(stored, platform);
}
