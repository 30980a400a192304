/** The cabinet's dialogs: a paged, filterable list and one dialog with its messages (read only). */
import {
  DialogDetailSchema,
  DialogListQuery,
  DialogMessagesQuery,
  DialogPageSchema,
  DialogParams,
  TenantIdParam,
} from "../schemas/cabinet.ts";
import { errorResponses } from "../schemas/common.ts";
import { markDialogRead } from "../services/dialogs/dialog-triage.ts";
import { getDialog, listDialogs } from "../services/dialogs/dialogs-read.ts";
import { memberRoute } from "./auth-route.ts";
import { createRouter } from "./router.ts";

const ok = <T>(description: string, schema: T) => ({
  description,
  content: { "application/json": { schema } },
});

const listRoute = memberRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/dialogs",
  tags: ["dialogs"],
  summary: "Dialogs, most recently active first (an owner sees all, a member its own)",
  request: { params: TenantIdParam, query: DialogListQuery },
  responses: { 200: ok("A page of dialogs", DialogPageSchema), ...errorResponses(422) },
});

const getRoute = memberRoute({
  method: "get",
  path: "/tenants/{tenant_id}/me/dialogs/{dialog_id}",
  tags: ["dialogs"],
  summary: "One dialog with a page of its messages in order (after_seq, limit); marks it read for the caller",
  request: { params: DialogParams, query: DialogMessagesQuery },
  responses: { 200: ok("The dialog", DialogDetailSchema), ...errorResponses(422) },
});

export const cabinetDialogRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listDialogs(c.var.db(), c.var.auth, c.req.valid("query")), 200),
  )
  .openapi(getRoute, async (c) => {
    const { after_seq, limit } = c.req.valid("query");
    // Opening a dialog marks it read for the caller (dialog-triage.ts); an API key reads without marking.
    if (!c.var.apiKey) await markDialogRead(c.var.db(), c.var.auth, c.req.valid("param").dialog_id);
    const dialog = await getDialog(c.var.db(), c.var.auth, c.req.valid("param").dialog_id, {
      afterSeq: after_seq,
      limit,
    });
    return c.json(dialog, 200);
  });
