/** The owner's budget (token caps, visitor and per-address rates, prices) and the usage report per day. */
import { BudgetBody, BudgetSchema, TenantIdParam, UsageQuery, UsageReportSchema } from "../schemas/budget.ts";
import { errorResponses } from "../schemas/common.ts";
import { getBudget, putBudget } from "../services/budgets/budget.ts";
import { platformLimits } from "../services/budgets/platform-limits.ts";
import { usageRange, usageReport } from "../services/budgets/usage-report.ts";
import { invalidatePromptCache } from "../services/prompt/prompt-assembly.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["budget"] };

const getRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/budget",
  summary: "Token caps, per-visitor message rate and prices",
  request: { params: TenantIdParam },
  responses: { 200: ok("Budget", BudgetSchema) },
});

const putRoute = ownerRoute({
  ...common,
  method: "put",
  path: "/tenants/{tenant_id}/me/budget",
  summary: "Replace the budget (fields left out or null are cleared); the next chat turn obeys it",
  request: { params: TenantIdParam, body: { ...json(BudgetBody), required: true } },
  responses: { 200: ok("Budget", BudgetSchema), ...errorResponses(400, 422) },
});

const usageRoute = ownerRoute({
  ...common,
  method: "get",
  path: "/tenants/{tenant_id}/me/usage",
  summary: "Model tokens, replies and cost per UTC day; today and this month against the caps",
  request: { params: TenantIdParam, query: UsageQuery },
  responses: { 200: ok("Usage", UsageReportSchema), ...errorResponses(422) },
});

export const cabinetBudgetRoutes = createRouter()
  .openapi(getRoute, async (c) =>
    c.json(await getBudget(c.var.db(), c.var.auth.tenantId, platformLimits(c.env)), 200),
  )
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.var.auth;
    const budget = await putBudget(c.var.db(), tenantId, c.req.valid("json"), platformLimits(c.env));
    // The caps travel with the tenant snapshot the dialogs cache: drop it so the next turn obeys them.
    await invalidatePromptCache(c, tenantId);
    return c.json(budget, 200);
  })
  .openapi(usageRoute, async (c) => {
    const range = usageRange(c.req.valid("query"), Date.now());
    return c.json(await usageReport(c.var.db(), c.var.auth.tenantId, range), 200);
  });
