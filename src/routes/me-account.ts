/** The signed-in user's profile, and the owner's view of the tenant's members. */
import { z } from "@hono/zod-openapi";
import {
  MemberParams,
  MemberPatchBody,
  MemberSchema,
  ProfilePatchBody,
  ProfileSchema,
  TenantIdParam,
} from "../schemas/accounts.ts";
import { errorResponses } from "../schemas/common.ts";
import { listMembers, setMemberRole } from "../services/accounts/members.ts";
import { getProfile, updateProfile } from "../services/accounts/profile.ts";
import { supportProfile } from "../services/platform/operator-audit.ts";
import { clientIp } from "../services/platform/rate-limit.ts";
import { memberRoute, ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });

const getProfileRoute = memberRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/profile",
  summary: "The signed-in user's profile",
  tags: ["profile"],
  request: { params: TenantIdParam },
  responses: { 200: ok("Profile", ProfileSchema) },
});
const patchProfileRoute = memberRoute({
  method: "patch",
  path: "/tenants/{tenant_id}/me/profile",
  tags: ["profile"],
  summary:
    "Change name, locale, lead alerts (notify_leads), or password (with the current one; returns a fresh token)",
  request: { params: TenantIdParam, body: { ...json(ProfilePatchBody), required: true } },
  responses: { 200: ok("Updated", ProfileSchema), ...errorResponses(400, 422, 429) },
});
const listMembersRoute = ownerRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/members",
  summary: "The tenant's members and their roles (owners only)",
  tags: ["members"],
  request: { params: TenantIdParam },
  responses: { 200: ok("Members", z.object({ items: z.array(MemberSchema) })) },
});
const patchMemberRoute = ownerRoute({
  method: "patch",
  path: "/tenants/{tenant_id}/me/members/{user_id}",
  tags: ["members"],
  summary: "Promote or demote a member (the last owner stays an owner)",
  request: { params: MemberParams, body: { ...json(MemberPatchBody), required: true } },
  responses: { 200: ok("Updated", MemberSchema), ...errorResponses(409, 422) },
});

export const meAccountRoutes = createRouter()
  .openapi(getProfileRoute, async (c) => {
    const { tenantId, userId, readOnly } = c.var.auth;
    // An operator's read-only support session has no user row here (docs/operator.md).
    if (readOnly) return c.json(supportProfile(tenantId, userId), 200);
    return c.json(await getProfile(c.var.db(), tenantId, userId), 200);
  })
  .openapi(patchProfileRoute, async (c) => {
    const { tenantId, userId } = c.var.auth;
    const ip = clientIp(c.req.raw.headers);
    return c.json(await updateProfile(c.var.db(), c.env, tenantId, userId, c.req.valid("json"), ip), 200);
  })
  .openapi(listMembersRoute, async (c) =>
    c.json({ items: await listMembers(c.var.db(), c.var.auth.tenantId) }, 200),
  )
  .openapi(patchMemberRoute, async (c) => {
    const { user_id } = c.req.valid("param");
    return c.json(
      await setMemberRole(c.var.db(), c.var.auth.tenantId, user_id, c.req.valid("json").role),
      200,
    );
  });
