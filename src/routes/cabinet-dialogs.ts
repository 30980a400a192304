/** The cabinet's dialogs: a paged, filterable list and one dialog with its messages (read only). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../middleware/auth/index.ts";
import {
  DialogDetailSchema,
  DialogListQuery,
  DialogMessagesQuery,
  DialogPageSchema,
  DialogParams,
  TenantIdParam,
} from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { getDialog, listDialogs } from "../services/dialogs/dialogs-read.ts";
import { createRouter } from "./router.ts";

const ok = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});
const security = [{ bearer: [] }];

const listRoute = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/dialogs",
  tags: ["dialogs"],
  security,
  summary: "Dialogs, most recently active first (an owner sees all, a member its own)",
  middleware: [requireAuth()] as const,
  request: { params: TenantIdParam, query: DialogListQuery },
  responses: { 200: ok("A page of dialogs", DialogPageSchema), ...errorResponses(401, 403, 404, 422) },
});

const getRoute = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/dialogs/{dialog_id}",
  tags: ["dialogs"],
  security,
  summary: "One dialog with a page of its messages in order (after_seq, limit)",
  middleware: [requireAuth()] as const,
  request: { params: DialogParams, query: DialogMessagesQuery },
  responses: { 200: ok("The dialog", DialogDetailSchema), ...errorResponses(401, 403, 404, 422) },
});

export const cabinetDialogRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listDialogs(c.var.db(), c.var.auth, c.req.valid("query")), 200),
  )
  .openapi(getRoute, async (c) => {
    const { after_seq, limit } = c.req.valid("query");
    const dialog = await getDialog(c.var.db(), c.var.auth, c.req.valid("param").dialog_id, {
      afterSeq: after_seq,
      limit,
    });
    return c.json(dialog, 200);
  });
