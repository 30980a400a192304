import type { Bindings } from "../env.ts";
import { type ChatModel, OpenAiCompatibleModel, type ThinkingMode } from "./client.ts";

export const DEFAULT_MODEL_URL = "https://api.deepseek.com";
/** DeepSeek's current name of its fast model (the legacy `deepseek-v4-flash` is served by the same model). */
export const DEFAULT_MODEL = "deepseek-flash";

/** The configured OpenAI-compatible model (DeepSeek by default). A missing key fails at the first call. */
export function createChatModel(env: Bindings): ChatModel {
  return new OpenAiCompatibleModel({
    baseUrl: env.DEEPSEEK_API_URL || DEFAULT_MODEL_URL,
    apiKey: env.DEEPSEEK_API_KEY ?? "",
    model: platformModel(env),
  });
}

/** The platform's model name: `DEEPSEEK_MODEL`, else the default. */
export function platformModel(env: Pick<Bindings, "DEEPSEEK_MODEL">): string {
  return env.DEEPSEEK_MODEL?.trim() || DEFAULT_MODEL;
}

/** `DEEPSEEK_THINKING` as a mode; unset or unknown values mean `disabled`. */
export function platformThinking(env: Pick<Bindings, "DEEPSEEK_THINKING">): ThinkingMode {
  const value = env.DEEPSEEK_THINKING?.trim().toLowerCase();
  return value === "enabled" || value === "omit" ? value : "disabled";
}
