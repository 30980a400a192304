/** The prompt history: every chunk change with its author and channel, and a one-step restore. */
import { errorResponses } from "../schemas/common.ts";
import {
  RestoreResultSchema,
  RevisionListQuery,
  RevisionPageSchema,
  RevisionParams,
  TenantIdParam,
} from "../schemas/prompt-history.ts";
import { platformQuotas, tenantQuotas } from "../services/platform/quotas.ts";
import { restoreRevision } from "../services/prompt/chunk-restore.ts";
import { listRevisions } from "../services/prompt/chunk-revisions.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { cabinetOrigin } from "./cabinet-chunks.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["prompt"] };
const base = "/tenants/{tenant_id}/me/chunks/history";

const listRoute = ownerRoute({
  ...common,
  method: "get",
  path: base,
  summary: "Chunk changes (cabinet and admin chat), newest first; `chunk_id` narrows to one chunk",
  request: { params: TenantIdParam, query: RevisionListQuery },
  responses: { 200: ok("A page of revisions", RevisionPageSchema), ...errorResponses(422) },
});

const restoreRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/{revision_id}/restore`,
  summary: "Put the chunk back to this revision's state (re-creating a deleted chunk), as a new revision",
  request: { params: RevisionParams },
  responses: {
    200: ok("Restored", RestoreResultSchema),
    ...errorResponses(409, 422),
  },
});

export const cabinetChunkHistoryRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listRevisions(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  )
  .openapi(restoreRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { revision_id } = c.req.valid("param");
    // Re-creating a deleted chunk counts against the tenant's chunk quota, as adding one does.
    const quotas = await tenantQuotas(c.var.db(), tenantId, platformQuotas(c.env));
    const result = await restoreRevision(
      c.var.db(),
      tenantId,
      revision_id,
      cabinetOrigin(c.var.auth),
      quotas.chunks,
    );
    if (result.revision) await invalidatePromptCache(c, tenantId);
    return c.json(result, 200);
  });
