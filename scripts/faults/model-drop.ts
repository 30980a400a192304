/** FAULTS_ONLY=model-drop: the model destroys the connection in the middle of the body. */
import type { Scenario } from "./context.ts";
import { modelFault } from "./model-fault.ts";

export const modelDrop: Scenario = {
  id: "model-drop",
  name: "Model drops the connection mid-stream",
  run: (ctx) =>
    modelFault(ctx, {
      scenario: "Model drops the connection mid-stream (after 3 chunks)",
      script: "drop",
      expectCodes: ["upstream_error", "service_unavailable"],
      expectTokens: true,
    }),
};
