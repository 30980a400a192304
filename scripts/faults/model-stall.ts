/** FAULTS_ONLY=model-stall: the model goes silent with the connection open, past the 30 s idle timeout. */
import type { Scenario } from "./context.ts";
import { modelFault } from "./model-fault.ts";

export const modelStall: Scenario = {
  id: "model-stall",
  name: "Model stalls past the idle timeout",
  run: (ctx) =>
    modelFault(ctx, {
      scenario: "Model stalls past the 30 s idle timeout (after 2 chunks, connection kept open)",
      script: "stall",
      expectCodes: ["service_unavailable"],
      expectTokens: true,
    }),
};
