/**
 * The owner's starter questions: chips the chat page and the widget show before the first message. Saved
 * like the other widget settings (the settings JSON), then the cached settings are dropped so the embed
 * page and new turns see them at once; the public by-slug config follows within its 30 s cache.
 */
import { TenantIdParam } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { STARTER_MAX_CHARS, STARTERS_MAX } from "../schemas/limits.ts";
import { StartersBody, StartersSchema } from "../schemas/starters.ts";
import { forgetEdgeSettings } from "../services/embed/edge-tenant-settings.ts";
import { getStarters, setStarters } from "../services/embed/starters.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["embed"] };
const path = "/tenants/{tenant_id}/me/starters";
const limits = { max: STARTERS_MAX, max_chars: STARTER_MAX_CHARS };

const getRoute = ownerRoute({
  ...common,
  method: "get",
  path,
  operationId: "getStarters",
  summary: "The starter questions visitors see as chips before their first message",
  request: { params: TenantIdParam },
  responses: { 200: ok("Starters", StartersSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path,
  operationId: "setStarters",
  summary: "Replace the starter questions (up to 6, each 1..80 characters, no repeats; empty removes them)",
  request: { params: TenantIdParam, body: { ...json(StartersBody), required: true } },
  responses: { 200: ok("Starters", StartersSchema), ...errorResponses(400, 422) },
});

export const cabinetStarterRoutes = createRouter()
  .openapi(getRoute, async (c) =>
    c.json({ starters: await getStarters(c.var.db(), c.var.auth.tenantId), limits }, 200),
  )
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const starters = await setStarters(c.var.db(), tenantId, c.req.valid("json").starters);
    await invalidatePromptCache(c, tenantId);
    forgetEdgeSettings(tenantId);
    return c.json({ starters, limits }, 200);
  });
