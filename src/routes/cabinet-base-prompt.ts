/**
 * The owner's base prompt: read (own or the platform default), replace (empty: the default), its history
 * and a one-step restore. Each change drops the cached prompt like a chunk change, so the next visitor
 * turn of every dialog gets the new base.
 */
import {
  BasePromptBody,
  BasePromptChangeSchema,
  BasePromptRevisionPageSchema,
  BasePromptSchema,
  BaseRevisionListQuery,
  BaseRevisionParams,
} from "../schemas/base-prompt.ts";
import { TenantIdParam } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { getBasePrompt, restoreBasePrompt, setBasePrompt } from "../services/prompt/base-prompt.ts";
import { listBaseRevisions } from "../services/prompt/base-prompt-revisions.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { cabinetOrigin } from "./cabinet-chunks.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["prompt"] };
const path = "/tenants/{tenant_id}/me/prompt/base";

const getRoute = ownerRoute({
  ...common,
  method: "get",
  path,
  operationId: "getBasePrompt",
  summary: "The base prompt: the tenant's own, or the platform default (`is_default`)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Base prompt", BasePromptSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path,
  operationId: "setBasePrompt",
  summary: "Replace the base prompt (at most 8000 characters; empty text: back to the platform default)",
  request: { params: TenantIdParam, body: { ...json(BasePromptBody), required: true } },
  responses: { 200: ok("Changed", BasePromptChangeSchema), ...errorResponses(400, 422) },
});

const historyRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${path}/history`,
  operationId: "listBasePromptRevisions",
  summary: "Base prompt changes (cabinet), newest first",
  request: { params: TenantIdParam, query: BaseRevisionListQuery },
  responses: {
    200: ok("A page of revisions", BasePromptRevisionPageSchema),
    ...errorResponses(422),
  },
});

const restoreRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${path}/history/{revision_id}/restore`,
  operationId: "restoreBasePrompt",
  summary: "Put the base prompt back to the text this revision left, as a new revision",
  request: { params: BaseRevisionParams },
  responses: { 200: ok("Restored", BasePromptChangeSchema), ...errorResponses(422) },
});

export const cabinetBasePromptRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json(await getBasePrompt(c.var.db(), c.var.auth.tenantId), 200))
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { text } = c.req.valid("json");
    const result = await setBasePrompt(c.var.db(), tenantId, text, cabinetOrigin(c.var.auth));
    if (result.revision) await invalidatePromptCache(c, tenantId);
    return c.json(result, 200);
  })
  .openapi(historyRoute, async (c) =>
    c.json(await listBaseRevisions(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  )
  .openapi(restoreRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { revision_id } = c.req.valid("param");
    const result = await restoreBasePrompt(c.var.db(), tenantId, revision_id, cabinetOrigin(c.var.auth));
    if (result.revision) await invalidatePromptCache(c, tenantId);
    return c.json(result, 200);
  });
