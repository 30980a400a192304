import type { Bindings } from "../env.ts";
import { type ChatModel, OpenAiCompatibleModel } from "./client.ts";

export const DEFAULT_MODEL_URL = "https://api.deepseek.com";
export const DEFAULT_MODEL = "deepseek-v4-flash";

/** The configured OpenAI-compatible model (DeepSeek by default). A missing key fails at the first call. */
export function createChatModel(env: Bindings): ChatModel {
  return new OpenAiCompatibleModel({
    baseUrl: env.DEEPSEEK_API_URL || DEFAULT_MODEL_URL,
    apiKey: env.DEEPSEEK_API_KEY ?? "",
    model: env.DEEPSEEK_MODEL || DEFAULT_MODEL,
  });
}
