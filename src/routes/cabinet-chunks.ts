/** The owner's prompt chunks (CRUD, reorder by `position`) and a preview of the assembled prompt. */
import type { AuthContext } from "../env.ts";
import {
  ChunkCreateBody,
  ChunkListSchema,
  ChunkParams,
  ChunkPatchBody,
  ChunkSchema,
  PromptPreviewSchema,
  TenantIdParam,
} from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { platformQuotas, tenantQuotas } from "../services/platform/quotas.ts";
import { invalidatePromptCache, loadUserPrompt } from "../services/prompt/prompt-assembly.ts";
import {
  addChunk,
  CHUNK_QUESTION_MAX,
  CHUNK_TEXT_MAX,
  CHUNKS_PER_TENANT_MAX,
  type ChangeOrigin,
  deleteChunk,
  listChunks,
  updateChunk,
} from "../services/prompt/prompt-chunks.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const base = "/tenants/{tenant_id}/me/prompt";
const common = { tags: ["prompt"] };

const listRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${base}/chunks`,
  summary: "The prompt chunks in prompt order, with the length limits",
  request: { params: TenantIdParam },
  responses: { 200: ok("Chunks", ChunkListSchema) },
});
const createChunkRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/chunks`,
  summary: "Add a chunk (at `position`, default last)",
  request: { params: TenantIdParam, body: { ...json(ChunkCreateBody), required: true } },
  responses: { 201: ok("Created", ChunkSchema), ...errorResponses(400, 409, 422) },
});
const patchRoute = ownerRoute({
  ...common,
  method: "patch",
  path: `${base}/chunks/{chunk_id}`,
  summary: "Change a chunk's question or text, or move it to `position`",
  request: { params: ChunkParams, body: { ...json(ChunkPatchBody), required: true } },
  responses: { 200: ok("Updated", ChunkSchema), ...errorResponses(400, 422) },
});
const deleteRoute = ownerRoute({
  ...common,
  method: "delete",
  path: `${base}/chunks/{chunk_id}`,
  summary: "Delete a chunk (kept in the prompt history)",
  request: { params: ChunkParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(422) },
});
const previewRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${base}/preview`,
  summary:
    "The draft's user-chat system prompt (what the sandbox answers with; visitors get the published one)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Prompt", PromptPreviewSchema) },
});

/** A change made in the cabinet by the signed-in owner, for the prompt history. */
export function cabinetOrigin(auth: AuthContext): ChangeOrigin {
  return { authorId: auth.userId, channel: "cabinet" };
}

const limits = {
  question_max: CHUNK_QUESTION_MAX,
  text_max: CHUNK_TEXT_MAX,
  chunks_max: CHUNKS_PER_TENANT_MAX,
};

export const cabinetChunkRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const quotas = await tenantQuotas(c.var.db(), tenantId, platformQuotas(c.env));
    const items = await listChunks(c.var.db(), tenantId);
    // The chunk cap is the tenant's quota (docs/operator.md).
    return c.json({ items, limits: { ...limits, chunks_max: quotas.chunks } }, 200);
  })
  .openapi(createChunkRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const quotas = await tenantQuotas(c.var.db(), tenantId, platformQuotas(c.env));
    const input = c.req.valid("json");
    const chunk = await addChunk(c.var.db(), tenantId, input, cabinetOrigin(c.var.auth), quotas.chunks);
    await invalidatePromptCache(c, tenantId);
    return c.json(chunk, 201);
  })
  .openapi(patchRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const { chunk_id } = c.req.valid("param");
    const chunk = await updateChunk(
      c.var.db(),
      tenantId,
      chunk_id,
      c.req.valid("json"),
      cabinetOrigin(c.var.auth),
    );
    await invalidatePromptCache(c, tenantId);
    return c.json(chunk, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { tenantId } = c.var.auth;
    await deleteChunk(c.var.db(), tenantId, c.req.valid("param").chunk_id, cabinetOrigin(c.var.auth));
    await invalidatePromptCache(c, tenantId);
    return c.body(null, 204);
  })
  .openapi(previewRoute, async (c) => {
    const { prompt, version, chunkCount } = await loadUserPrompt(c.var.db(), c.var.auth.tenantId);
    return c.json({ prompt, version, chunk_count: chunkCount }, 200);
  });
