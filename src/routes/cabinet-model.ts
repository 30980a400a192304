/** The owner's model settings for the visitor chats and the setup chat. */
import type { PlatformModel } from "../chat/model-settings.ts";
import { platformModel, platformThinking } from "../config.ts";
import type { Bindings } from "../env.ts";
import { errorResponses } from "../schemas/common.ts";
import { ModelSettingsBody, ModelSettingsSchema, TenantIdParam } from "../schemas/model-settings.ts";
import { getModelSettings, putModelSettings } from "../services/budgets/model-settings.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["model"] };

const getRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/model",
  summary: "Model, thinking, reasoning effort, temperature and answer length per channel, with the defaults",
  request: { params: TenantIdParam },
  responses: { 200: ok("Model settings", ModelSettingsSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path: "/tenants/{tenant_id}/me/model",
  summary: "Replace the model settings (fields left out or null are the default); the next turn uses them",
  request: { params: TenantIdParam, body: { ...json(ModelSettingsBody), required: true } },
  responses: { 200: ok("Model settings", ModelSettingsSchema), ...errorResponses(400, 422) },
});

const platform = (env: Bindings): PlatformModel => ({
  model: platformModel(env),
  thinking: platformThinking(env),
});

export const cabinetModelRoutes = createRouter()
  .openapi(getRoute, async (c) =>
    c.json(await getModelSettings(c.var.db(), c.var.auth.tenantId, platform(c.env)), 200),
  )
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const settings = await putModelSettings(c.var.db(), tenantId, c.req.valid("json"), platform(c.env));
    // The settings travel with the tenant snapshot the dialogs cache: drop it so the next turn uses them.
    await invalidatePromptCache(c, tenantId);
    return c.json(settings, 200);
  });
