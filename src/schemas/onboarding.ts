/** The owner's first-hour checklist (docs/cabinet.md, "Onboarding"). */
import { z } from "@hono/zod-openapi";
import { TenantIdParam } from "./accounts.ts";

export { TenantIdParam };

/** The checklist's steps, in the order the cabinet shows them. */
export const ONBOARDING_STEPS = ["teach", "publish", "try_chat", "embed", "telegram", "invite"] as const;
export type OnboardingStepId = (typeof ONBOARDING_STEPS)[number];

export const OnboardingSchema = z
  .object({
    steps: z
      .array(
        z.object({
          id: z.enum(ONBOARDING_STEPS).openapi({
            description:
              "teach: a prompt chunk exists and one was written (setup chat or prompt editor); publish: a " +
              "published version holds a chunk; try_chat: a web " +
              "conversation got an answer; embed: allowed sites are listed or the widget was loaded on another " +
              "site; telegram: a bot is connected; invite: the tenant has a second account",
          }),
          done: z.boolean().openapi({ description: "Read from the tenant's data, never from clicks" }),
        }),
      )
      .openapi({ description: "Every step, in display order" }),
    dismissed: z.boolean().openapi({ description: "The owner hid the checklist (it can be reopened)" }),
    complete: z.boolean().openapi({ description: "Every step is done" }),
  })
  .openapi("Onboarding");

export const OnboardingBody = z
  .object({ dismissed: z.boolean().openapi({ description: "Hide (true) or show again (false)" }) })
  .strict()
  .openapi("OnboardingUpdate");
