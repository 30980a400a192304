/** The owner's API keys: make one (shown once), list them, delete one (refused from the next request). */
import { TenantIdParam } from "../schemas/accounts.ts";
import {
  ApiKeyCreateBody,
  ApiKeyCreatedSchema,
  ApiKeyListSchema,
  ApiKeyParams,
} from "../schemas/api-keys.ts";
import { errorResponses } from "../schemas/common.ts";
import { createApiKey, deleteApiKey, listApiKeys } from "../services/integrations/api-keys.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const common = { tags: ["api-keys"] };
const path = "/tenants/{tenant_id}/me/api-keys";

const createKeyRoute = ownerRoute({
  ...common,
  method: "post",
  path,
  operationId: "createApiKey",
  summary: "Make an API key for a server (the key is in this answer only)",
  request: {
    params: TenantIdParam,
    body: { ...json("The key's name and scopes", ApiKeyCreateBody), required: true },
  },
  responses: { 201: json("Created", ApiKeyCreatedSchema), ...errorResponses(409) },
});

const listKeysRoute = ownerRoute({
  ...common,
  method: "get",
  path,
  operationId: "listApiKeys",
  summary: "The tenant's API keys, newest first (never the keys themselves)",
  request: { params: TenantIdParam },
  responses: { 200: json("Keys", ApiKeyListSchema) },
});

const deleteKeyRoute = ownerRoute({
  ...common,
  method: "delete",
  path: `${path}/{key_id}`,
  operationId: "deleteApiKey",
  summary: "Delete an API key: the next request with it is refused",
  request: { params: ApiKeyParams },
  responses: { 204: { description: "Deleted" } },
});

export const apiKeyRoutes = createRouter()
  .openapi(createKeyRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await createApiKey(c.var.db(), c.var.auth, c.req.valid("json")), 201);
  })
  .openapi(listKeysRoute, async (c) =>
    c.json({ items: await listApiKeys(c.var.db(), c.var.auth.tenantId) }, 200),
  )
  .openapi(deleteKeyRoute, async (c) => {
    await deleteApiKey(c.var.db(), c.var.auth.tenantId, c.req.valid("param").key_id);
    return c.body(null, 204);
  });
