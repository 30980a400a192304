/**
 * The sandbox chat (docs/cabinet.md "Draft and publish"): the owner tries the draft before publishing.
 * Thin: validate, take the tenant's snapshot (its `draftPrompt`), hand the stream to the sandbox service.
 */
import { z } from "@hono/zod-openapi";
import { turnModelOptions } from "../chat/model-settings.ts";
import { sseResponse } from "../chat/sse-format.ts";
import { runBlock } from "../commands/registry.ts";
import { modelConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { MAX_BLOCKS_PER_TURN } from "../durable-objects/dialog-answer.ts";
import { turnCommands } from "../durable-objects/turn-commands.ts";
import { AppError } from "../errors.ts";
import { createChatModel } from "../llm/factory.ts";
import { TenantIdParam } from "../schemas/cabinet.ts";
import { SSE_DESCRIPTION } from "../schemas/chat.ts";
import { errorResponses } from "../schemas/common.ts";
import { SandboxChatBody } from "../schemas/prompt-release.ts";
import { enforceRateLimits } from "../services/platform/rate-limit.ts";
import { recordOwnerUsage } from "../services/prompt/owner-usage.ts";
import { sandboxStream, sandboxUsageId } from "../services/prompt/sandbox.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

/** Sandbox messages one owner may send per minute: each one is a model call. */
const SANDBOX_PER_MINUTE = 30;

const sandboxRoute = ownerRoute({
  tags: ["prompt"],
  method: "post",
  path: "/tenants/{tenant_id}/me/prompt/sandbox/chat",
  operationId: "sandboxChat",
  summary: "Talk to the visitor bot as the draft makes it (SSE); nothing is stored but the owner's usage",
  request: {
    params: TenantIdParam,
    body: { content: { "application/json": { schema: SandboxChatBody } }, required: true },
  },
  responses: {
    200: { description: SSE_DESCRIPTION, content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(400, 422, 429),
  },
});

export const cabinetPromptSandboxRoutes = createRouter().openapi(sandboxRoute, async (c) => {
  const { tenantId, userId } = c.var.auth;
  const body = c.req.valid("json");
  await enforceRateLimits(c.env, [
    { key: `sandbox:user:${tenantId}:${userId}`, limit: SANDBOX_PER_MINUTE, windowSeconds: 60 },
  ]);
  const snapshot = await c.env.TENANTS.getByName(tenantId).snapshot(tenantId);
  if (!snapshot) throw new AppError("tenant_not_found", "No such tenant.");
  const commands = turnCommands(c.env, snapshot, { tenantId, channel: "web", userId });
  const usageId = await sandboxUsageId(tenantId, userId);
  const stream = sandboxStream(
    {
      model: createChatModel(modelConfig(c.env)),
      runBlock: (block) => runBlock(commands.context, block),
      recordUsage: async (usage) => {
        const handle = openDatabase(c.env, () => tenantId);
        try {
          await recordOwnerUsage(handle.db, tenantId, usageId, usage);
        } finally {
          await handle.close();
        }
      },
      maxBlocks: MAX_BLOCKS_PER_TURN,
      logContext: { tenantId },
      onEnd: () => commands.close(),
    },
    {
      // A snapshot stored before drafts existed has no draft prompt: the live one is the draft then.
      systemPrompt: snapshot.draftPrompt ?? snapshot.userPrompt,
      history: body.history ?? [],
      message: body.message,
      options: turnModelOptions(snapshot.settings, "web", c.env),
    },
  );
  return sseResponse(stream) as never;
});
