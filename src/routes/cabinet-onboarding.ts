/** The first-hour checklist: every account of the tenant reads it, the owner hides or reopens it. */
import { errorResponses } from "../schemas/common.ts";
import { OnboardingBody, OnboardingSchema, TenantIdParam } from "../schemas/onboarding.ts";
import { getOnboarding, setOnboardingDismissed } from "../services/onboarding/onboarding.ts";
import { memberRoute, ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["onboarding"] };

const getRoute = memberRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/onboarding",
  summary: "The first-hour checklist: each step ticked from the tenant's data, and whether it is hidden",
  request: { params: TenantIdParam },
  responses: { 200: ok("Checklist", OnboardingSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path: "/tenants/{tenant_id}/me/onboarding",
  summary: "Hide the checklist, or show it again",
  request: { params: TenantIdParam, body: { ...json(OnboardingBody), required: true } },
  responses: { 200: ok("Checklist", OnboardingSchema), ...errorResponses(400, 422) },
});

export const cabinetOnboardingRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json(await getOnboarding(c.var.db(), c.var.auth.tenantId), 200))
  .openapi(putRoute, async (c) => {
    const { dismissed } = c.req.valid("json");
    return c.json(await setOnboardingDismissed(c.var.db(), c.var.auth.tenantId, dismissed), 200);
  });
