/** FAULTS_ONLY=model-429: the model answers 429 with Retry-After. */
import type { Scenario } from "./context.ts";
import { modelFault } from "./model-fault.ts";

export const model429: Scenario = {
  id: "model-429",
  name: "Model answers 429",
  run: (ctx) =>
    modelFault(ctx, {
      scenario: "Model answers 429 (Retry-After: 7)",
      script: "r429",
      expectCodes: ["rate_limited"],
      expectTokens: false,
      jsonStatus: 429,
    }),
};
