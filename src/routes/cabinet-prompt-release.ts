/**
 * Draft and publish (docs/cabinet.md "Draft and publish"): the draft next to the live prompt with a diff,
 * publish, discard, the published versions and their restore, and the welcome text (part of the draft).
 * Every change drops the cached prompt after its commit, so the next visitor turn gets a new release and
 * the sandbox the new draft at once.
 */
import { AppError } from "../errors.ts";
import { TenantIdParam } from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { WELCOME_TEXT_MAX } from "../schemas/limits.ts";
import {
  PromptDraftSchema,
  ReleaseListSchema,
  ReleaseParams,
  ReleaseSchema,
  RestoreReleaseBody,
  WelcomeBody,
  WelcomeSchema,
} from "../schemas/prompt-release.ts";
import { forgetEdgeSettings } from "../services/embed/edge-tenant-settings.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import {
  discardDraft,
  listReleases,
  publishDraft,
  restoreRelease,
} from "../services/prompt/prompt-publish.ts";
import { readDraft, readRelease } from "../services/prompt/prompt-state.ts";
import { draftView, releaseView } from "../services/prompt/prompt-views.ts";
import { getWelcomeText, setWelcomeText } from "../services/prompt/welcome-text.ts";
import { ownerRoute } from "./auth-route.ts";
import { cabinetOrigin } from "./cabinet-chunks.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const base = "/tenants/{tenant_id}/me/prompt";
const common = { tags: ["prompt"] };

const draftRoute = ownerRoute({
  ...common,
  method: "get",
  path: base,
  operationId: "getPromptDraft",
  summary: "The draft and the published prompt side by side, with what differs and a line diff",
  request: { params: TenantIdParam },
  responses: { 200: ok("Draft and published", PromptDraftSchema) },
});
const publishRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/publish`,
  operationId: "publishPrompt",
  summary: "Make the draft live: visitors get it from their next turn (409 when it equals the live version)",
  request: { params: TenantIdParam },
  responses: { 201: ok("The new live version", ReleaseSchema), ...errorResponses(409) },
});
const discardRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/discard`,
  operationId: "discardPromptDraft",
  summary: "Drop the draft: chunks, base prompt, welcome text and starters go back to the live version",
  request: { params: TenantIdParam },
  responses: { 200: ok("Draft and published", PromptDraftSchema), ...errorResponses(409) },
});
const releasesRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${base}/releases`,
  operationId: "listPromptReleases",
  summary: "Every published version, newest (live) first",
  request: { params: TenantIdParam },
  responses: { 200: ok("Published versions", ReleaseListSchema) },
});
const releaseRoute = ownerRoute({
  ...common,
  method: "get",
  path: `${base}/releases/{version}`,
  operationId: "getPromptRelease",
  summary: "One published version in full",
  request: { params: ReleaseParams },
  responses: { 200: ok("Published version", ReleaseSchema), ...errorResponses(404) },
});
const restoreRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/releases/{version}/restore`,
  operationId: "restorePromptRelease",
  summary: "Copy a published version into the draft; with publish: true make it live too",
  request: { params: ReleaseParams, body: { ...json(RestoreReleaseBody), required: false } },
  responses: { 200: ok("Draft and published", PromptDraftSchema), ...errorResponses(404, 422) },
});
const welcomePath = `${base}/welcome`;
const getWelcomeRoute = ownerRoute({
  ...common,
  method: "get",
  path: welcomePath,
  operationId: "getWelcomeText",
  summary: "The draft's welcome text (the chat page's first message, Telegram's /start answer)",
  request: { params: TenantIdParam },
  responses: { 200: ok("Welcome text", WelcomeSchema) },
});
const putWelcomeRoute = ownerRoute({
  ...common,
  method: "put",
  path: welcomePath,
  operationId: "setWelcomeText",
  summary: `Set the draft's welcome text (up to ${WELCOME_TEXT_MAX} characters; empty or null removes it)`,
  request: { params: TenantIdParam, body: { ...json(WelcomeBody), required: true } },
  responses: { 200: ok("Welcome text", WelcomeSchema), ...errorResponses(400, 422) },
});

const welcomeLimits = { max_chars: WELCOME_TEXT_MAX };

export const cabinetPromptReleaseRoutes = createRouter()
  .openapi(draftRoute, async (c) => {
    const db = c.var.db();
    const { tenantId } = c.var.auth;
    const [draft, live] = await Promise.all([readDraft(db, tenantId), readRelease(db, tenantId)]);
    return c.json(draftView(draft, live), 200);
  })
  .openapi(publishRoute, async (c) => {
    const { tenantId, userId } = c.var.auth;
    const release = await publishDraft(c.var.db(), tenantId, userId);
    await invalidatePromptCache(c, tenantId);
    forgetEdgeSettings(tenantId);
    return c.json(releaseView(release), 201);
  })
  .openapi(discardRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const live = await discardDraft(c.var.db(), tenantId, cabinetOrigin(c.var.auth));
    await invalidatePromptCache(c, tenantId);
    return c.json(draftView(await readDraft(c.var.db(), tenantId), live), 200);
  })
  .openapi(releasesRoute, async (c) =>
    c.json({ items: await listReleases(c.var.db(), c.var.auth.tenantId) }, 200),
  )
  .openapi(releaseRoute, async (c) => {
    const { version } = c.req.valid("param");
    const release = await readRelease(c.var.db(), c.var.auth.tenantId, version);
    if (!release) throw new AppError("not_found", `No published version ${version}.`);
    return c.json(releaseView(release), 200);
  })
  .openapi(restoreRoute, async (c) => {
    const { tenantId, userId } = c.var.auth;
    const { version } = c.req.valid("param");
    // The body is optional: a bare POST restores into the draft only.
    const raw = (await c.req.json().catch(() => ({}))) as unknown;
    const body = RestoreReleaseBody.safeParse(raw ?? {});
    if (!body.success) throw new AppError("validation_failed", "The body takes only publish: true or false.");
    const origin = { ...cabinetOrigin(c.var.auth), authorId: userId };
    await restoreRelease(c.var.db(), tenantId, version, origin, body.data.publish === true);
    await invalidatePromptCache(c, tenantId);
    if (body.data.publish) forgetEdgeSettings(tenantId);
    const db = c.var.db();
    const [draft, live] = await Promise.all([readDraft(db, tenantId), readRelease(db, tenantId)]);
    return c.json(draftView(draft, live), 200);
  })
  .openapi(getWelcomeRoute, async (c) =>
    c.json(
      { welcome_text: await getWelcomeText(c.var.db(), c.var.auth.tenantId), limits: welcomeLimits },
      200,
    ),
  )
  .openapi(putWelcomeRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const welcome = await setWelcomeText(c.var.db(), tenantId, c.req.valid("json").welcome_text);
    await invalidatePromptCache(c, tenantId);
    return c.json({ welcome_text: welcome, limits: welcomeLimits }, 200);
  });
