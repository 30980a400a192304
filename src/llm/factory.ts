import { type ChatModel, OpenAiCompatibleModel } from "./client.ts";

export const DEFAULT_MODEL_URL = "https://api.deepseek.com";
/** DeepSeek's current name of its fast model (the legacy `deepseek-v4-flash` is served by the same model). */
export const DEFAULT_MODEL = "deepseek-flash";

/** Where the platform's model is and which one (config.ts `modelConfig` reads it from the environment). */
export interface ModelOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** The configured OpenAI-compatible model (DeepSeek by default). A missing key fails at the first call. */
export function createChatModel(options: ModelOptions): ChatModel {
  return new OpenAiCompatibleModel(options);
}
