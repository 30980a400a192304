/** The owner's embed view (chat URL, iframe and script snippets) and its settings (origins, widget look). */
import { frontendBaseUrl } from "../config.ts";
import { EmbedSchema, EmbedSettingsBody, TenantIdParam } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { forgetEdgeSettings } from "../services/embed/edge-tenant-settings.ts";
import { getEmbed, updateEmbedSettings } from "../services/embed/embed.ts";
import { encryptTurnstileSecret } from "../services/embed/turnstile/secret.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["embed"] };

const getRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/embed",
  summary: "Chat page URL, <iframe> and <script> snippets, allowed origins, widget look",
  request: { params: TenantIdParam },
  responses: { 200: ok("Embed", EmbedSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path: "/tenants/{tenant_id}/me/embed/settings",
  summary:
    "Replace the allowed origins (empty: any site) and, when given, the widget look, protected embed, Turnstile and the conversation policy",
  request: { params: TenantIdParam, body: { ...json(EmbedSettingsBody), required: true } },
  responses: { 200: ok("Embed", EmbedSchema), ...errorResponses(400, 422) },
});

export const cabinetEmbedRoutes = createRouter()
  .openapi(getRoute, async (c) =>
    c.json(await getEmbed(c.var.db(), c.var.auth.tenantId, frontendBaseUrl(c.env, c.req.url)), 200),
  )
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const base = frontendBaseUrl(c.env, c.req.url);
    const seal = (secret: string) => encryptTurnstileSecret(c.env, tenantId, secret);
    const embed = await updateEmbedSettings(c.var.db(), tenantId, c.req.valid("json"), base, seal);
    // The chat core caches tenant settings with the prompt, and this isolate's chat guard caches them too:
    // drop both so the new settings apply at once (other isolates within EDGE_SETTINGS_TTL_MS).
    await invalidatePromptCache(c, tenantId);
    forgetEdgeSettings(tenantId);
    return c.json(embed, 200);
  });
