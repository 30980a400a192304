/** FAULTS_ONLY=model-500: the model answers 500. */
import type { Scenario } from "./context.ts";
import { modelFault } from "./model-fault.ts";

export const model500: Scenario = {
  id: "model-500",
  name: "Model answers 500",
  run: (ctx) =>
    modelFault(ctx, {
      scenario: "Model answers 500",
      script: "r500",
      expectCodes: ["service_unavailable"],
      expectTokens: false,
      jsonStatus: 503,
    }),
};
