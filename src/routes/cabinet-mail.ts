/** The owner's mail delivery panel: account mail the SMTP server refused, and sending it again. */
import { errorResponses } from "../schemas/common.ts";
import {
  MailDeliveryListQuery,
  MailDeliveryPageSchema,
  MailDeliveryParams,
  MailDeliverySchema,
  TenantIdParam,
} from "../schemas/mail-deliveries.ts";
import { listMailDeliveries } from "../services/accounts/mail-deliveries.ts";
import { retryMailDelivery } from "../services/accounts/mail-retry.ts";
import { accountDeps } from "./account-deps.ts";
import { ownerRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const ok = <T>(description: string, schema: T) => ({ description, ...json(schema) });
const common = { tags: ["mail"] };
const base = "/tenants/{tenant_id}/me/mail/failures";

const listRoute = ownerRoute({
  ...common,
  method: "get",
  path: base,
  summary: "Account mail the mail server refused (and mail a retry delivered), latest attempt first",
  request: { params: TenantIdParam, query: MailDeliveryListQuery },
  responses: {
    200: ok("A page of deliveries", MailDeliveryPageSchema),
    ...errorResponses(422),
  },
});

const retryRoute = ownerRoute({
  ...common,
  method: "post",
  path: `${base}/{delivery_id}/retry`,
  summary:
    "Send the mail again now, rebuilt with a fresh link; answers the delivery as `sent` or `failed` with the new error",
  request: { params: MailDeliveryParams },
  responses: {
    200: ok("The delivery after this attempt", MailDeliverySchema),
    ...errorResponses(409, 422, 429),
  },
});

export const cabinetMailRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listMailDeliveries(c.var.db(), c.var.auth.tenantId, c.req.valid("query")), 200),
  )
  .openapi(retryRoute, async (c) => {
    const { delivery_id } = c.req.valid("param");
    const delivery = await retryMailDelivery(accountDeps(c), c.var.commit, c.var.auth.tenantId, delivery_id);
    return c.json(delivery, 200);
  });
