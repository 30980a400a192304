/** The API's views of prompt states: snake_case, the default base prompt spelled out, the prompt assembled. */
import type { z } from "@hono/zod-openapi";
import type { PromptDraftSchema, PromptStateSchema, ReleaseSchema } from "../../schemas/prompt-release.ts";
import { defaultBasePrompt } from "./base-prompt.ts";
import { assembledPrompt, compareDraft, type PromptState, type Release } from "./prompt-state.ts";

export type PromptStateView = z.infer<typeof PromptStateSchema>;
export type ReleaseView = z.infer<typeof ReleaseSchema>;
export type PromptDraftView = z.infer<typeof PromptDraftSchema>;

/** One state as the API shows it. */
export function stateView(state: PromptState): PromptStateView {
  return {
    base_prompt: state.basePrompt || defaultBasePrompt(),
    is_default_base: state.basePrompt === "",
    welcome_text: state.welcomeText,
    starters: state.starters,
    chunks: state.chunks,
    prompt: assembledPrompt(state),
  };
}

/** A release as the API shows it. */
export function releaseView(release: Release): ReleaseView {
  return {
    ...stateView(release),
    version: release.version,
    published_at: release.publishedAt,
    published_by: release.publishedBy,
    restored_from: release.restoredFrom,
  };
}

/** The draft next to the live release, with what differs. */
export function draftView(draft: PromptState, live: Release | null): PromptDraftView {
  return {
    draft: stateView(draft),
    published: live ? releaseView(live) : null,
    ...compareDraft(live, draft),
  };
}
